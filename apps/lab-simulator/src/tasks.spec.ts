import { mulberry32 } from './rng';
import { generateTask, generateTasks, solve, TASK_KINDS, wrongAnswer } from './tasks';

describe('tasks', () => {
  it('solves the example prompts of each kind', () => {
    expect(solve('Task: compute 37 + 45. Answer with the number only.')).toBe('82');
    expect(solve('Task: compute 12 - 40. Answer with the number only.')).toBe('-28');
    expect(solve('Task: compute 7 * 6. Answer with the number only.')).toBe('42');
    expect(solve('Task: reverse the string "kestrel". Answer with the string only.')).toBe('lertsek');
    expect(solve('Task: count the letter "e" in "excellence". Answer with the number only.')).toBe('4');
    expect(solve('Task: count the letter "z" in "banana". Answer with the number only.')).toBe('0');
  });

  it('finds the task inside a longer prompt', () => {
    expect(solve('You are being evaluated.\nTask: compute 10 + 5. Answer with the number only.\nGood luck.')).toBe('15');
  });

  it('does not claim to solve prompts that are not tasks', () => {
    expect(solve('What is the capital of France?')).toBeUndefined();
    expect(solve('compute 2 + 2')).toBeUndefined();
    expect(solve('')).toBeUndefined();
  });

  it('generates tasks whose target is what solve finds, for every kind', () => {
    const rng = mulberry32(7);
    for (const kind of TASK_KINDS) {
      for (let i = 0; i < 200; i++) {
        const task = generateTask(kind, rng);
        expect(solve(task.input)).toBe(task.target);
      }
    }
  });

  it('generates the same suite from the same seed, and all kinds in a large one', () => {
    const a = generateTasks(300, mulberry32(42));
    const b = generateTasks(300, mulberry32(42));
    expect(a).toEqual(b);
    expect(a.some((t) => t.input.includes('compute'))).toBe(true);
    expect(a.some((t) => t.input.includes('reverse'))).toBe(true);
    expect(a.some((t) => t.input.includes('count the letter'))).toBe(true);
  });

  it('makes wrong answers that are always wrong, numbers and strings alike', () => {
    const rng = mulberry32(3);
    for (const correct of ['0', '82', '-28', 'lertsek', 'a', 'ananab', '']) {
      for (let i = 0; i < 200; i++) {
        const wrong = wrongAnswer(correct, rng);
        expect(wrong).not.toBe(correct);
        if (/^-?\d+$/.test(correct)) {
          const off = Number(wrong) - Number(correct);
          expect(off).toBeGreaterThanOrEqual(1);
          expect(off).toBeLessThanOrEqual(9);
        }
      }
    }
  });
});
