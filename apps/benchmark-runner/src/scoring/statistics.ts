// Accuracy with a 95% interval.
// - One answer per item: the Wilson score interval. Unlike the normal approximation it stays inside 0..1 and
//   behaves at small n and at accuracies near 0 or 1, which is where frontier thresholds sit.
// - Several epochs: the trials of one item are not independent (a model that cannot do an item fails it every
//   time), so treating items × epochs as independent trials would make the interval too narrow. As
//   lm-evaluation-harness and Inspect do, the unit is the item: its mean over its epochs, and a percentile
//   bootstrap across items of the mean of those means. Seeded, so the same outcomes always give the same
//   interval and a decision can be reproduced.
export interface Interval {
  accuracy: number;
  lower: number;
  upper: number;
}

export const Z95 = 1.959963984540054;

export function wilson(correct: number, n: number, z = Z95): Interval | undefined {
  if (n <= 0) return undefined;
  const p = correct / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { accuracy: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Resamples of the bootstrap: the 2.5th and 97.5th percentiles move by well under 0.005 between seeds. */
export const BOOTSTRAP_RESAMPLES = 1000;

/**
 * The mean of per-item values (each in 0..1) with a 95% percentile-bootstrap interval across items. When every
 * item has the same value the bootstrap has no spread to show (every resample is that value), so the Wilson
 * interval with one trial per item stands in: n items all right is still only n pieces of evidence.
 */
export function bootstrapMean(values: ArrayLike<number>, seed: number, resamples = BOOTSTRAP_RESAMPLES): Interval | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(random() * n)];
    means[b] = s / n;
  }
  means.sort();
  const lower = quantile(means, 0.025);
  const upper = quantile(means, 0.975);
  if (upper - lower < 1e-12) {
    const w = wilson(mean * n, n)!;
    return { accuracy: mean, lower: w.lower, upper: w.upper };
  }
  return { accuracy: mean, lower: Math.max(0, lower), upper: Math.min(1, upper) };
}

function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** A small, fast, seedable generator: the interval must be the same every time it is computed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a string (FNV-1a), e.g. the run id. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
