// An analyst's corrections to deduplication, as plain rules: when a merge or a split is allowed, and what the
// case (or cases) that come out of it look like.
import { DomainError, FieldProblem, RuleViolationError, SeverityView } from '@vantage/contracts';
import { productKey } from '../standards';
import { CaseHead, isOpen } from './case-workflow';
import { StoredFinding } from './finding';

/** A conflict with the case's state (409), naming the field that points at the closed case. */
function closed(field: string, message: string): DomainError {
  return new DomainError('case_closed', 409, `${field}: ${message}`, [{ field, message }]);
}

function invalid(code: string, field: string, message: string): RuleViolationError {
  return new RuleViolationError(code, `${field} ${message}`, [{ field, message }]);
}

/** A case cannot be merged into itself (422), checked before anything is locked. */
export function checkMergePair(caseId: string, absorbedId: string): void {
  if (absorbedId === caseId) throw invalid('merge_rejected', 'caseId', 'is this case; a case cannot be merged into itself');
}

/** The surviving case's embargo after a merge. */
export interface MergedEmbargo {
  deadlineAt: Date;
  exploitedInWild: boolean;
  severity: SeverityView;
  /** The deadline moved (earlier): the reminders must follow it. */
  deadlineMoved: boolean;
}

/**
 * Any open case may be absorbed (a merge is a correction, not a workflow move, so a case already at vendor-notified
 * may still turn out to be the same bug); closed ones may not. The surviving case keeps the stricter embargo: the
 * earlier deadline, in-the-wild if either was, the higher severity, so no reporter or vendor is given more time
 * than they were promised.
 */
export function merge(target: CaseHead, absorbed: CaseHead | undefined): MergedEmbargo {
  if (!absorbed) throw invalid('merge_rejected', 'caseId', 'no such case');
  if (!isOpen(target.state)) throw closed('id', `a ${target.state} case cannot absorb another case`);
  if (!isOpen(absorbed.state)) throw closed('caseId', `a ${absorbed.state} case cannot be merged`);
  const deadlineAt = new Date(Math.min(target.deadlineAt.getTime(), absorbed.deadlineAt.getTime()));
  return {
    deadlineAt,
    exploitedInWild: target.exploitedInWild || absorbed.exploitedInWild,
    severity: absorbed.severity.baseScore > target.severity.baseScore ? absorbed.severity : target.severity,
    deadlineMoved: deadlineAt.getTime() !== target.deadlineAt.getTime(),
  };
}

/** The case a split makes of the findings it moves. */
export interface SplitPlan {
  moving: StoredFinding[];
  /** The earliest-reported moved finding: it names, fingerprints and keys the new case. */
  first: StoredFinding;
  productKey: string;
  severity: SeverityView;
  exploitedInWild: boolean;
  deadlineAt: Date;
}

/**
 * Moves `findingIds` (of `findings`, the source case's findings in report order) out of `source` into a new case.
 * Only an open case splits; every id must be one of its findings, named once; at least one finding stays. Deadline
 * policy: the new case inherits the source case's current deadline (extensions included). The findings were reported
 * under that embargo; splitting is bookkeeping and must neither shorten the reporters' promise nor restart the clock.
 */
export function split(source: CaseHead, findings: StoredFinding[], findingIds: string[]): SplitPlan {
  if (!isOpen(source.state)) throw closed('id', `a ${source.state} case cannot be split`);
  const wanted = findingIds.map((id) => id.toLowerCase());
  const problems: FieldProblem[] = [];
  wanted.forEach((id, i) => {
    if (wanted.indexOf(id) !== i) problems.push({ field: `findingIds[${i}]`, message: 'is listed twice' });
    else if (!findings.some((f) => f.id === id)) problems.push({ field: `findingIds[${i}]`, message: 'is not a finding of this case' });
  });
  if (problems.length) throw new RuleViolationError('split_rejected', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
  const moving = findings.filter((f) => wanted.includes(f.id));
  if (moving.length === findings.length) throw invalid('split_rejected', 'findingIds', 'would move every finding; at least one must stay in the case');
  const first = moving[0];
  return {
    moving,
    first,
    productKey: productKey(first.affected[0]),
    severity: moving.reduce((hi, f) => (f.severity.baseScore > hi.baseScore ? f.severity : hi), first.severity),
    exploitedInWild: moving.some((f) => f.exploitedInWild),
    deadlineAt: source.deadlineAt,
  };
}
