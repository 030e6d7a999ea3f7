// Accuracy with its 95% Wilson score interval: unlike the normal approximation it stays inside 0..1 and
// behaves at small n and at accuracies near 0 or 1, which is where frontier thresholds sit.
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
