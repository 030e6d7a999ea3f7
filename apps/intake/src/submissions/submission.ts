// A submission's rules, pure: what a lab may submit, who may see a submission, and how the lab's moves change it
// (reschedule, change its endpoint, withdraw, release). Each move returns the submission as it now stands and the
// effects to publish; the store writes both. Nothing here approves or blocks a release.
import { CallerIdentity, ConflictError, FieldProblem, InputInvalidError, RuleViolationError } from '@vantage/contracts';
import { Submission } from './submission.entity';

/** How far ahead a planned release may be. */
export const MAX_HORIZON_MS = 5 * 365 * 24 * 3600 * 1000;

export type SubmissionEffect =
  | { type: 'rescheduled'; previousPlannedReleaseAt: Date }
  | { type: 'credential-rotated'; endpointChanged: boolean }
  | { type: 'withdrawn' }
  | { type: 'released' };

export interface SubmissionChange {
  submission: Submission;
  /** Empty when the move changed nothing (a repeated withdraw or release). */
  effects: SubmissionEffect[];
}

/**
 * Which submissions a caller sees: an operator every one (null), a lab its own (its id), anyone else none
 * (undefined). A submission the caller may not see is "not found", never "forbidden".
 */
export function visibleLab(caller: CallerIdentity): string | null | undefined {
  if (caller.kind === 'operator') return null;
  if (caller.kind === 'lab') return caller.orgId;
  return undefined;
}

export interface Receipt {
  plannedReleaseAt: Date;
  earliestAccessAt?: Date;
  agencies?: string[];
}

/**
 * What is wrong with a new submission, in the order a lab reads it: its release dates, its endpoint (judged by the
 * destination policy, given), its agencies (those of `knownAgencies` are in the programme).
 */
export function receiptProblems(receipt: Receipt, now: Date, endpointProblem: FieldProblem | undefined, knownAgencies: ReadonlySet<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (receipt.plannedReleaseAt.getTime() <= now.getTime()) problems.push({ field: 'plannedReleaseAt', message: 'must be in the future' });
  if (receipt.plannedReleaseAt.getTime() > now.getTime() + MAX_HORIZON_MS) problems.push({ field: 'plannedReleaseAt', message: 'must be within 5 years' });
  if (receipt.earliestAccessAt && receipt.earliestAccessAt.getTime() >= receipt.plannedReleaseAt.getTime()) {
    problems.push({ field: 'earliestAccessAt', message: 'must be before plannedReleaseAt' });
  }
  if (endpointProblem) problems.push(endpointProblem);
  (receipt.agencies ?? []).forEach((a, i) => {
    if (!knownAgencies.has(a)) problems.push({ field: `agencies[${i}]`, message: 'is not an agency in the programme' });
  });
  return problems;
}

export function rejectReceipt(problems: FieldProblem[]): RuleViolationError {
  return new RuleViolationError('submission_rejected', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
}

export interface SubmissionUpdate {
  plannedReleaseAt?: Date;
  /** The endpoint's fields to change; the credential already sealed. */
  endpoint?: { baseUrl?: string; modelId?: string; apiKeySealed?: string };
}

/** An update must change something: the planned release or a field of the endpoint. */
export function assertSomethingToChange(update: { plannedReleaseAt?: Date; endpoint?: Record<string, unknown> }): void {
  const endpointFields = Object.values(update.endpoint ?? {}).filter((v) => v !== undefined);
  if (!update.plannedReleaseAt && endpointFields.length === 0) {
    throw new RuleViolationError('nothing_to_change', 'give plannedReleaseAt or endpoint fields to change', [
      { field: '(body)', message: 'must change plannedReleaseAt or endpoint' },
    ]);
  }
}

/** The lab reschedules and/or changes its endpoint: an active submission only, the release still in the future. */
export function update(s: Submission, change: SubmissionUpdate, now: Date): SubmissionChange {
  if (s.status !== 'active') throw new ConflictError('submission_not_active', `the submission is ${s.status}; it can no longer change`);
  const next: Submission = { ...s, updatedAt: now };
  const effects: SubmissionEffect[] = [];
  if (change.plannedReleaseAt) {
    if (change.plannedReleaseAt.getTime() <= now.getTime()) {
      throw new RuleViolationError('release_in_past', 'plannedReleaseAt must be in the future', [{ field: 'plannedReleaseAt', message: 'must be in the future' }]);
    }
    if (s.earliestAccessAt && s.earliestAccessAt.getTime() >= change.plannedReleaseAt.getTime()) {
      throw new RuleViolationError('release_before_access', 'plannedReleaseAt must be after earliestAccessAt', [
        { field: 'plannedReleaseAt', message: 'must be after earliestAccessAt' },
      ]);
    }
    next.plannedReleaseAt = change.plannedReleaseAt;
    effects.push({ type: 'rescheduled', previousPlannedReleaseAt: s.plannedReleaseAt });
  }
  const e = change.endpoint ?? {};
  if (e.baseUrl !== undefined || e.modelId !== undefined || e.apiKeySealed !== undefined) {
    const endpointChanged = (e.baseUrl !== undefined && e.baseUrl !== s.endpointBaseUrl) || (e.modelId !== undefined && e.modelId !== s.endpointModelId);
    if (e.baseUrl !== undefined) next.endpointBaseUrl = e.baseUrl;
    if (e.modelId !== undefined) next.endpointModelId = e.modelId;
    if (e.apiKeySealed !== undefined) next.endpointApiKeySealed = e.apiKeySealed;
    effects.push({ type: 'credential-rotated', endpointChanged });
  }
  return { submission: next, effects };
}

/** Withdraw: at once; a second withdraw changes nothing; a released model has nothing to withdraw. */
export function withdraw(s: Submission, now: Date): SubmissionChange {
  if (s.status === 'withdrawn') return { submission: s, effects: [] };
  if (s.status === 'released') throw new ConflictError('submission_released', 'the model is already released; there is nothing to withdraw');
  return { submission: { ...s, status: 'withdrawn', withdrawnAt: now, updatedAt: now }, effects: [{ type: 'withdrawn' }] };
}

/** Release: now, or at a moment already past; a second release changes nothing; a withdrawn submission is not released. */
export function release(s: Submission, releasedAt: Date | undefined, now: Date): SubmissionChange {
  if (s.status === 'released') return { submission: s, effects: [] };
  if (s.status === 'withdrawn') throw new ConflictError('submission_withdrawn', 'the submission was withdrawn');
  const at = releasedAt ?? now;
  if (at.getTime() > now.getTime()) {
    throw new RuleViolationError('release_in_future', 'releasedAt may not be in the future; reschedule with PATCH instead', [
      { field: 'releasedAt', message: 'may not be in the future' },
    ]);
  }
  return { submission: { ...s, status: 'released', releasedAt: at, updatedAt: now }, effects: [{ type: 'released' }] };
}

/** A page's cursor is the last id it holds (ids are time-ordered UUIDv7), opaque to the client. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(after)) throw new InputInvalidError('cursor is not one this API gave', [{ field: 'cursor', message: 'is not valid' }]);
  return after;
}
