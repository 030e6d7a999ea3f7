// The frontier decision. Versioned, so that a decision can always be traced to the rule that made it; a
// change of rule is a new version, never an edit of an old one.
import { Interval } from './statistics';

// .2: with several epochs the interval is a bootstrap across items (it was Wilson over all trials).
export const POLICY_VERSION = 'frontier-2026-11.2';

export interface SuiteOutcome {
  name: string;
  version: string;
  threshold?: number;
  interval?: Interval;
  /** How the interval was found (`wilson`, `bootstrap`), named in the basis. */
  method?: string;
}

export interface Decision {
  frontier: boolean;
  basis: string[];
  policyVersion: string;
}

export function decideFrontier(input: { declaredTrainingFlop?: number | null; computeThresholdFlop: number; suites: SuiteOutcome[] }): Decision {
  const basis: string[] = [];
  const flop = input.declaredTrainingFlop;
  if (flop !== undefined && flop !== null && flop >= input.computeThresholdFlop) {
    basis.push(`compute: declared ${flop.toExponential(2)} FLOP >= ${input.computeThresholdFlop.toExponential(2)}`);
  }
  for (const s of input.suites) {
    if (s.threshold === undefined || !s.interval) continue;
    if (s.interval.lower >= s.threshold) {
      const how = s.method ? ` (${s.method})` : '';
      basis.push(`suite ${s.name}@${s.version}: 95% lower bound${how} ${s.interval.lower.toFixed(4)} >= threshold ${s.threshold}`);
    }
  }
  return { frontier: basis.length > 0, basis, policyVersion: POLICY_VERSION };
}
