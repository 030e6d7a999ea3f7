import { checkScorable, extractNumber, normalise, score, ScorerConfigError } from './scorers';

describe('scorers', () => {
  it('exact: ignores case, surrounding whitespace and punctuation, not inner differences', () => {
    expect(normalise('  **Lertsek**. ')).toBe('lertsek');
    expect(score('exact', ' "Paris". ', { target: 'paris' })).toEqual({ extracted: 'paris', correct: true });
    expect(score('exact', 'Paris, France', { target: 'Paris' }).correct).toBe(false);
  });

  it('includes: the normalised target anywhere in the answer', () => {
    expect(score('includes', 'The capital is Paris.', { target: 'PARIS' }).correct).toBe(true);
    expect(score('includes', 'London', { target: 'Paris' }).correct).toBe(false);
  });

  it('regex: matches case-insensitively and refuses a broken pattern by field', () => {
    expect(score('regex', 'answer: 42', { target: '\\b4[0-9]\\b' })).toEqual({ extracted: '42', correct: true });
    expect(score('regex', 'none', { target: '^\\d+$' }).correct).toBe(false);
    expect(() => checkScorable('regex', { target: '(' })).toThrow(ScorerConfigError);
  });

  it('numeric: the last number in the answer, within tolerance, commas allowed', () => {
    expect(extractNumber('37 + 45 = 82')).toBe('82');
    expect(score('numeric', 'The total is 1,234.', { target: '1234' })).toEqual({ extracted: '1234', correct: true });
    expect(score('numeric', '0.3333333', { target: '0.33333333' }).correct).toBe(true);
    expect(score('numeric', '83', { target: '82' }).correct).toBe(false);
    expect(score('numeric', 'no idea', { target: '82' })).toEqual({ extracted: '', correct: false });
    expect(() => checkScorable('numeric', { target: 'eighty' })).toThrow(expect.objectContaining({ field: 'target' }));
  });

  it('choice: a letter or the choice text, against a letter or text target', () => {
    const item = { target: 'B', choices: ['red', 'green', 'blue'] };
    expect(score('choice', '(b)', item)).toEqual({ extracted: 'B', correct: true });
    expect(score('choice', 'Answer: B', item).correct).toBe(true);
    expect(score('choice', 'Green.', item).correct).toBe(true);
    expect(score('choice', 'A', item).correct).toBe(false);
    expect(score('choice', 'blue', { target: 'blue', choices: item.choices }).correct).toBe(true);
    expect(() => checkScorable('choice', { target: 'D', choices: item.choices })).toThrow(expect.objectContaining({ field: 'target' }));
    expect(() => checkScorable('choice', { target: 'A' })).toThrow(expect.objectContaining({ field: 'choices' }));
  });
});
