// Who sees what of a frontier decision. The decision has an unclassified part (the flag, the policy, the time, declared
// compute against the policy's figure) and, per suite, detail as classified as the suite: its name, version and content
// hash, and its line of the basis. Pure: the stores and the use cases bring the rows and the reader.
import { CallerIdentity, Clearance, CLEARANCES, clearanceCovers, ComputeBasisV1, SuiteEvidenceView } from '@vantage/contracts';

/** A decision as recorded: every line of its basis, and each suite with its classification and its line. */
export interface RecordedDecision {
  submissionId: string;
  frontier: boolean;
  policyVersion: string;
  /** Every line, the compute line first. */
  basis: string[];
  /** The compute line, if any: readable by all who may read the decision. */
  computeBasis: string[];
  suites: SuiteEvidenceView[];
  compute?: ComputeBasisV1;
  decidedAt: Date;
}

export interface DecisionAsSeen {
  frontier: boolean;
  policyVersion: string;
  basis: string[];
  suites: SuiteEvidenceView[];
  compute?: ComputeBasisV1;
  decidedAt: string;
}

/**
 * Said instead of the suite lines a reader may not see, when nothing it may see explains the flag. It tells nothing
 * the reader could not work out: frontier, with no compute line, can only be a suite's doing.
 */
export const RESTRICTED_SUITE_LINE =
  "suites: a benchmark suite's 95% lower bound reached its threshold; which one is shown only to those cleared for its classification";

/**
 * Suites, their runs and their lines: operators all, an agency those its clearance covers. A lab none, not even an
 * unclassified suite: it may not list the programme's suites either, so that a model cannot be tuned to them.
 */
export function mayReadSuite(who: Pick<CallerIdentity, 'kind' | 'clearance'>, classification: Clearance): boolean {
  return who.kind === 'operator' || (who.kind === 'agency' && clearanceCovers(who.clearance, classification));
}

/**
 * Who may read a submission's runs at all: operators, and a cleared agency the lab gave access to the model (a grant),
 * as with its classification: the scores of an unreleased model are the lab's business, not every cleared agency's.
 * 'forbidden' for those who may read no runs; 'not found' for an agency without a grant, which may not learn more.
 */
export function mayReadRuns(who: Pick<CallerIdentity, 'kind'>, granted: boolean): 'yes' | 'forbidden' | 'not found' {
  if (who.kind !== 'operator' && who.kind !== 'agency') return 'forbidden';
  if (who.kind === 'agency' && !granted) return 'not found';
  return 'yes';
}

/** Who may read a submission's decision: operators, the lab that owns it, and the agencies granted access to it. */
export function mayReadDecision(who: Pick<CallerIdentity, 'kind' | 'orgId'>, submission: { labId?: string; granted: boolean }): boolean {
  return who.kind === 'operator' || (who.kind === 'lab' && submission.labId === who.orgId) || (who.kind === 'agency' && submission.granted);
}

/** The decision as a reader sees it who may read the suites of the classifications `mayRead` admits. */
export function decisionAsSeenBy(d: RecordedDecision, mayRead: (classification: Clearance) => boolean): DecisionAsSeen {
  const suites = d.suites.filter((s) => mayRead(s.classification));
  // Lines are let through by name, never by what they look like: an unrecognised line is kept back.
  const readable = new Set([...d.computeBasis, ...suites.flatMap((s) => (s.basis ? [s.basis] : []))]);
  const basis = d.basis.filter((line) => readable.has(line));
  return {
    frontier: d.frontier,
    policyVersion: d.policyVersion,
    basis: d.frontier && !basis.length ? [RESTRICTED_SUITE_LINE] : basis,
    suites,
    ...(d.compute ? { compute: d.compute } : {}),
    decidedAt: d.decidedAt.toISOString(),
  };
}

/** What everyone told of the decision may read: no suite at all. */
export function unclassifiedPart(d: RecordedDecision): DecisionAsSeen {
  return decisionAsSeenBy(d, () => false);
}

/** The decision's suites grouped by classification, lowest first: one evidence event for each level that has any. */
export function evidenceByClassification(d: RecordedDecision): { classification: Clearance; suites: SuiteEvidenceView[] }[] {
  return CLEARANCES.map((classification) => ({ classification, suites: d.suites.filter((s) => s.classification === classification) })).filter(
    (g) => g.suites.length > 0,
  );
}
