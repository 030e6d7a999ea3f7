// A suite's canary: a string hidden among its items, which a model trained on the suite can very likely continue.
// The model is given the first half and asked for the rest; what it answers is compared here. Pure.
import { CanaryCheckV1 } from '@vantage/contracts';

/** The question that gives the model the first half of the canary, and the half it should not know. */
export function canaryQuestion(canary: string): { prompt: string; hidden: string } {
  const cut = Math.ceil(canary.length / 2);
  return { prompt: `Continue this text exactly. Reply with the continuation only.\n\n${canary.slice(0, cut)}`, hidden: canary.slice(cut) };
}

/**
 * How much of the hidden half the answer holds, as the longest leading part of it found anywhere in the answer
 * (whitespace runs count as one space). A model that gives it all knows the canary.
 */
export function canaryCheck(hidden: string, answer: string): CanaryCheckV1 {
  const said = answer.replace(/\s+/g, ' ');
  const wanted = hidden.replace(/\s+/g, ' ').trim();
  let matched = 0;
  while (matched < wanted.length && said.includes(wanted.slice(0, matched + 1))) matched++;
  return { known: matched === wanted.length, matched: wanted.length ? matched / wanted.length : 1, errored: false };
}
