import { canaryCheck, canaryQuestion } from './canary';

describe('canary check', () => {
  it('gives the model the first half, rounded up, and keeps the rest hidden', () => {
    const { prompt, hidden } = canaryQuestion('abcde');
    expect(prompt).toBe('Continue this text exactly. Reply with the continuation only.\n\nabc');
    expect(hidden).toBe('de');
  });

  it('knows a model that continues it, whatever its whitespace', () => {
    expect(canaryCheck('the  hidden\nhalf ', 'sure: the hidden   half.')).toEqual({ known: true, matched: 1, errored: false });
  });

  it('measures how much of the hidden half a model gave', () => {
    expect(canaryCheck('abcd', 'I think ab')).toEqual({ known: false, matched: 0.5, errored: false });
    expect(canaryCheck('abcd', 'nothing')).toEqual({ known: false, matched: 0, errored: false });
  });

  it('counts an empty hidden half as known', () => {
    expect(canaryCheck('  ', 'anything')).toEqual({ known: true, matched: 1, errored: false });
  });
});
