import { bootstrapMean, mulberry32, seedOf, wilson } from './statistics';

describe('bootstrapMean (epochs)', () => {
  /** `items` items of true difficulty drawn at random, each asked `epochs` times; returns per-item means. */
  function perItemMeans(items: number, epochs: number, skill: number, seed: number, correlated: boolean): number[] {
    const random = mulberry32(seed);
    return Array.from({ length: items }, () => {
      // Correlated: an item is either within the model's reach (always right) or not (always wrong).
      const p = correlated ? (random() < skill ? 1 : 0) : skill;
      let right = 0;
      for (let e = 0; e < epochs; e++) if (random() < p) right++;
      return right / epochs;
    });
  }

  it('covers the true accuracy in about 95% of repeated experiments', () => {
    let covered = 0;
    const experiments = 100;
    for (let x = 0; x < experiments; x++) {
      const interval = bootstrapMean(perItemMeans(150, 3, 0.6, 1000 + x, false), x, 500)!;
      if (interval.lower <= 0.6 && 0.6 <= interval.upper) covered++;
    }
    expect(covered / experiments).toBeGreaterThan(0.9);
    expect(covered / experiments).toBeLessThanOrEqual(1);
  });

  it('is wider than a Wilson interval over all trials when an item\'s epochs agree, as the trials are not independent', () => {
    const items = 300;
    const epochs = 5;
    const means = perItemMeans(items, epochs, 0.7, 7, true);
    const accuracy = means.reduce((a, b) => a + b, 0) / items;
    const boot = bootstrapMean(means, 1)!;
    const naive = wilson(accuracy * items * epochs, items * epochs)!;
    expect(boot.accuracy).toBeCloseTo(accuracy, 10);
    expect(boot.upper - boot.lower).toBeGreaterThan(1.8 * (naive.upper - naive.lower));
  });

  it('is the same for the same outcomes and seed, and falls back to Wilson over items when every item agrees', () => {
    const means = perItemMeans(100, 2, 0.5, 3, false);
    expect(bootstrapMean(means, seedOf('run-a'))).toEqual(bootstrapMean(means, seedOf('run-a')));
    const allRight = bootstrapMean(new Array(50).fill(1), 9)!;
    expect(allRight).toEqual({ accuracy: 1, ...pick(wilson(50, 50)!) });
    expect(allRight.lower).toBeLessThan(1);
    expect(bootstrapMean([], 1)).toBeUndefined();
  });
});

function pick(i: { lower: number; upper: number }) {
  return { lower: i.lower, upper: i.upper };
}
