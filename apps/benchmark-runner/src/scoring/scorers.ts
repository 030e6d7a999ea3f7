// How a model's answer is judged against a target. Pure functions: the same answer always scores the same,
// so a resumed run and a rerun agree. Each returns what it took as the answer (for the runner's own use;
// never stored or published, since it may equal the target) and whether it is right.
import { ScorerKind } from '@vantage/contracts';

export interface ScoreResult {
  extracted: string;
  correct: boolean;
}

export interface ScorableItem {
  target: string;
  choices?: string[];
}

export class ScorerConfigError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ScorerConfigError';
  }
}

// Quotes, brackets and sentence punctuation a model wraps around an answer ("**82**.", "'lertsek'").
const SURROUNDING = /^[\s"'`*_([{<.,;:!?]+|[\s"'`*_)\]}>.,;:!?]+$/g;

/** Trim, lower-case, collapse inner whitespace and strip surrounding punctuation. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(SURROUNDING, '').replace(/\s+/g, ' ').toLowerCase();
}

/** Relative-or-absolute tolerance for numeric answers: 1e-6 of the target, at least 1e-9. */
export const NUMERIC_TOLERANCE = 1e-6;

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

function parseNumber(text: string): number | undefined {
  const cleaned = text.replace(/,/g, '');
  const n = Number(cleaned);
  return cleaned.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** The last number in the answer: models reason first and conclude last. */
export function extractNumber(answer: string): string | undefined {
  const found = (answer.match(NUMBER) ?? []).filter((m) => /\d/.test(m));
  return found.length ? found[found.length - 1].replace(/,/g, '') : undefined;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function scoreExact(answer: string, item: ScorableItem): ScoreResult {
  const extracted = normalise(answer);
  return { extracted, correct: extracted === normalise(item.target) };
}

export function scoreIncludes(answer: string, item: ScorableItem): ScoreResult {
  const target = normalise(item.target);
  return { extracted: normalise(answer), correct: target.length > 0 && normalise(answer).includes(target) };
}

export function scoreRegex(answer: string, item: ScorableItem): ScoreResult {
  let re: RegExp;
  try {
    re = new RegExp(item.target, 'i');
  } catch {
    throw new ScorerConfigError('target', 'is not a valid regular expression');
  }
  const m = re.exec(answer.trim());
  return { extracted: m ? m[0] : '', correct: m !== null };
}

export function scoreNumeric(answer: string, item: ScorableItem, tolerance = NUMERIC_TOLERANCE): ScoreResult {
  const target = parseNumber(item.target);
  if (target === undefined) throw new ScorerConfigError('target', 'is not a number');
  const extracted = extractNumber(answer);
  if (extracted === undefined) return { extracted: '', correct: false };
  const value = Number(extracted);
  return { extracted, correct: Math.abs(value - target) <= Math.max(1e-9, tolerance * Math.abs(target)) };
}

/**
 * Multiple choice: the answer may be the letter ("B", "(b)", "Answer: B") or the choice's text. The target
 * may be a letter or a choice's text too.
 */
export function scoreChoice(answer: string, item: ScorableItem): ScoreResult {
  const choices = item.choices ?? [];
  if (choices.length < 2) throw new ScorerConfigError('choices', 'a choice item needs at least two choices');
  const targetIndex = choiceIndex(item.target, choices);
  if (targetIndex === undefined) throw new ScorerConfigError('target', 'is neither a choice letter nor one of the choices');
  const picked = choiceIndex(answer, choices) ?? choiceIndex(answer.replace(/^\s*(?:the\s+)?answer\s*(?:is)?\s*[:\-]?\s*/i, ''), choices);
  return { extracted: picked === undefined ? normalise(answer) : LETTERS[picked], correct: picked === targetIndex };
}

function choiceIndex(text: string, choices: string[]): number | undefined {
  const n = normalise(text);
  const byText = choices.findIndex((c) => normalise(c) === n);
  if (byText >= 0) return byText;
  if (/^[a-z]$/.test(n)) {
    const i = LETTERS.indexOf(n.toUpperCase());
    return i < choices.length ? i : undefined;
  }
  return undefined;
}

export const SCORER_FUNCTIONS: Record<ScorerKind, (answer: string, item: ScorableItem) => ScoreResult> = {
  exact: scoreExact,
  includes: scoreIncludes,
  regex: scoreRegex,
  numeric: (a, i) => scoreNumeric(a, i),
  choice: scoreChoice,
};

export function score(kind: ScorerKind, answer: string, item: ScorableItem): ScoreResult {
  return SCORER_FUNCTIONS[kind](answer, item);
}

/** Checks an item can be scored at all, so a bad suite is refused when it is created, not mid-run. */
export function checkScorable(kind: ScorerKind, item: ScorableItem): void {
  score(kind, '', item);
}

/** The prompt for an item: choice items list their choices with letters. */
export function promptFor(kind: ScorerKind, item: { input: string; choices?: string[] }): string {
  if (kind !== 'choice' || !item.choices) return item.input;
  return `${item.input}\n\n${item.choices.map((c, i) => `${LETTERS[i]}. ${c}`).join('\n')}\n\nAnswer with the letter only.`;
}
