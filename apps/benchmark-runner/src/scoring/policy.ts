// The frontier decision. Versioned, so that a decision can always be traced to the rule that made it; a
// change of rule is a new version, never an edit of an old one.
import { Interval } from './statistics';

// .2: with several epochs the interval is a bootstrap across items (it was Wilson over all trials).
export const POLICY_VERSION = 'frontier-2026-11.2';

export interface SuiteOutcome {
  /** Keys the suite's line in `suiteBasis`. */
  suiteId: string;
  name: string;
  version: string;
  threshold?: number;
  interval?: Interval;
  /** How the interval was found (`wilson`, `bootstrap`), named in the basis. */
  method?: string;
}

export interface Decision {
  frontier: boolean;
  policyVersion: string;
  /** Declared training compute against the policy's figure. */
  compute: { declaredTrainingFlop?: number; frontierAtFlop: number };
  /** Why the model is frontier, every line, the compute line first; empty when it is not. */
  basis: string[];
  /** The compute line, if declared compute reached the figure: it says nothing of any suite. */
  computeBasis: string[];
  /**
   * By suite id, the line of each suite whose lower bound reached its threshold. A line names its suite and its
   * figures, so it is as classified as the suite: whoever shows a decision decides who may read which line.
   */
  suiteBasis: Record<string, string>;
}

export function decideFrontier(input: { declaredTrainingFlop?: number | null; computeThresholdFlop: number; suites: SuiteOutcome[] }): Decision {
  const computeBasis: string[] = [];
  const suiteBasis: Record<string, string> = {};
  const flop = input.declaredTrainingFlop;
  if (flop !== undefined && flop !== null && flop >= input.computeThresholdFlop) {
    computeBasis.push(`compute: declared ${flop.toExponential(2)} FLOP >= ${input.computeThresholdFlop.toExponential(2)}`);
  }
  for (const s of input.suites) {
    if (s.threshold === undefined || !s.interval) continue;
    if (s.interval.lower >= s.threshold) {
      const how = s.method ? ` (${s.method})` : '';
      suiteBasis[s.suiteId] = `suite ${s.name}@${s.version}: 95% lower bound${how} ${s.interval.lower.toFixed(4)} >= threshold ${s.threshold}`;
    }
  }
  const basis = [...computeBasis, ...input.suites.map((s) => suiteBasis[s.suiteId]).filter((l): l is string => l !== undefined)];
  return {
    frontier: basis.length > 0,
    policyVersion: POLICY_VERSION,
    compute: { ...(flop !== undefined && flop !== null ? { declaredTrainingFlop: flop } : {}), frontierAtFlop: input.computeThresholdFlop },
    basis,
    computeBasis,
    suiteBasis,
  };
}
