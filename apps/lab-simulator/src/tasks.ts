// Tasks whose right answer a program can work out from the prompt alone: the simulator really solves them,
// so "skill" is an accuracy that a benchmark run can measure, and a scorer can check answers by exact match.
import { pick, randomInt, Rng } from './rng';

export const TASK_KINDS = ['arithmetic', 'reverse', 'count-letter'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** One benchmark item: the prompt, and the exact answer that scores as correct. */
export interface GeneratedTask {
  input: string;
  target: string;
}

// Lowercase letters only, so that the prompt's quoting never needs escaping and answers compare exactly.
const WORDS = [
  'kestrel', 'excellence', 'mississippi', 'banana', 'heron', 'lighthouse', 'parallel', 'committee', 'bookkeeper',
  'assessment', 'harbour', 'telescope', 'referee', 'possession', 'umbrella', 'balloon', 'giraffe', 'sycamore',
  'penguin', 'avalanche', 'cinnamon', 'dolphin', 'remember', 'pepper', 'volcano', 'whisper', 'address', 'llama',
] as const;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const ARITHMETIC = /Task: compute (-?\d+) ([+*-]) (-?\d+)\./;
const REVERSE = /Task: reverse the string "([^"]*)"\./;
const COUNT_LETTER = /Task: count the letter "(.)" in "([^"]*)"\./;

export function generateTask(kind: TaskKind, rng: Rng): GeneratedTask {
  switch (kind) {
    case 'arithmetic': {
      const op = pick(rng, ['+', '-', '*'] as const);
      // Products stay small so that the numbers read like the sums: two digits each way.
      const [a, b] = op === '*' ? [randomInt(rng, 2, 20), randomInt(rng, 2, 20)] : [randomInt(rng, 10, 99), randomInt(rng, 10, 99)];
      const input = `Task: compute ${a} ${op} ${b}. Answer with the number only.`;
      return { input, target: String(compute(a, op, b)) };
    }
    case 'reverse': {
      const word = pick(rng, WORDS);
      return { input: `Task: reverse the string "${word}". Answer with the string only.`, target: reverse(word) };
    }
    case 'count-letter': {
      const word = pick(rng, WORDS);
      // Mostly a letter of the word, sometimes one it lacks: zero is an answer a model must also get right.
      const letter = rng() < 0.8 ? word[Math.floor(rng() * word.length)] : pick(rng, [...LETTERS]);
      return { input: `Task: count the letter "${letter}" in "${word}". Answer with the number only.`, target: String(count(letter, word)) };
    }
    default:
      throw new Error(`unknown task kind: ${String(kind)}`);
  }
}

/** `count` tasks, each of a kind drawn at random from `kinds`: a whole suite from one seed. */
export function generateTasks(count: number, rng: Rng, kinds: readonly TaskKind[] = TASK_KINDS): GeneratedTask[] {
  return Array.from({ length: count }, () => generateTask(pick(rng, kinds), rng));
}

/** The correct answer to a generated task's prompt, or undefined when the prompt is not one of them. */
export function solve(prompt: string): string | undefined {
  let m = ARITHMETIC.exec(prompt);
  if (m) return String(compute(Number(m[1]), m[2] as '+' | '-' | '*', Number(m[3])));
  m = REVERSE.exec(prompt);
  if (m) return reverse(m[1]);
  m = COUNT_LETTER.exec(prompt);
  if (m) return String(count(m[1], m[2]));
  return undefined;
}

/**
 * An answer that is certainly not `correct`: a number off by 1 to 9, or the string with one character changed.
 * A merely "probably wrong" answer would let a skill-0 model score above zero.
 */
export function wrongAnswer(correct: string, rng: Rng): string {
  if (/^-?\d+$/.test(correct)) return String(Number(correct) + randomInt(rng, 1, 9));
  if (correct.length === 0) return pick(rng, [...LETTERS]);
  const at = Math.floor(rng() * correct.length);
  const others = [...LETTERS].filter((c) => c !== correct[at]);
  return correct.slice(0, at) + pick(rng, others) + correct.slice(at + 1);
}

function compute(a: number, op: '+' | '-' | '*', b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

function reverse(s: string): string {
  // Spread by code point, so that a non-ASCII string in a hand-written prompt reverses without broken surrogates.
  return [...s].reverse().join('');
}

function count(letter: string, s: string): number {
  return [...s].filter((c) => c === letter).length;
}
