import { Submission } from './submission.entity';
import {
  assertSomethingToChange, decodeCursor, encodeCursor, MAX_HORIZON_MS, receiptProblems, rejectReceipt, release, update, visibleLab, withdraw,
} from './submission';

const now = new Date('2026-11-26T12:00:00Z');
const at = (iso: string) => new Date(iso);

function aSubmission(overrides: Partial<Submission> = {}): Submission {
  return {
    id: '019abcde-0000-7000-8000-000000000001', labId: 'lab-1', modelName: 'm', modelVersion: '1',
    plannedReleaseAt: at('2026-12-20T00:00:00Z'), earliestAccessAt: null, declaredTrainingFlop: null, agencies: null,
    endpointBaseUrl: 'https://lab.example/v1', endpointModelId: 'model', endpointApiKeySealed: 'sealed', status: 'active',
    releasedAt: null, withdrawnAt: null, createdAt: at('2026-11-20T00:00:00Z'), updatedAt: at('2026-11-20T00:00:00Z'),
    ...overrides,
  };
}

describe('who sees a submission', () => {
  it('an operator every one, a lab its own, anyone else none', () => {
    expect(visibleLab({ orgId: 'op', kind: 'operator' })).toBeNull();
    expect(visibleLab({ orgId: 'lab-1', kind: 'lab' })).toBe('lab-1');
    expect(visibleLab({ orgId: 'a', kind: 'agency' })).toBeUndefined();
    expect(visibleLab({ orgId: 'c', kind: 'clearinghouse' })).toBeUndefined();
  });
});

describe('a new submission', () => {
  const fine = { plannedReleaseAt: at('2026-12-20T00:00:00Z') };

  it('has no problems when its release is ahead, within 5 years, after its earliest access, and its agencies known', () => {
    expect(receiptProblems({ ...fine, earliestAccessAt: at('2026-12-01T00:00:00Z'), agencies: ['a1'] }, now, undefined, new Set(['a1']))).toEqual([]);
  });

  it('lists every problem, in the order a lab reads them', () => {
    const problems = receiptProblems(
      { plannedReleaseAt: now, earliestAccessAt: at('2027-01-01T00:00:00Z'), agencies: ['a1', 'nope'] },
      now,
      { field: 'endpoint.baseUrl', message: 'is refused' },
      new Set(['a1']),
    );
    expect(problems).toEqual([
      { field: 'plannedReleaseAt', message: 'must be in the future' },
      { field: 'earliestAccessAt', message: 'must be before plannedReleaseAt' },
      { field: 'endpoint.baseUrl', message: 'is refused' },
      { field: 'agencies[1]', message: 'is not an agency in the programme' },
    ]);
    expect(rejectReceipt(problems)).toMatchObject({ code: 'submission_rejected', status: 422, errors: problems });
  });

  it('refuses a release more than 5 years ahead', () => {
    expect(receiptProblems({ plannedReleaseAt: new Date(now.getTime() + MAX_HORIZON_MS + 1) }, now, undefined, new Set())).toEqual([
      { field: 'plannedReleaseAt', message: 'must be within 5 years' },
    ]);
  });
});

describe('the lab updates its submission', () => {
  it('must change something', () => {
    expect(() => assertSomethingToChange({ endpoint: { baseUrl: undefined } })).toThrow(expect.objectContaining({ code: 'nothing_to_change' }));
    expect(() => assertSomethingToChange({ endpoint: { apiKey: 'k' } })).not.toThrow();
    expect(() => assertSomethingToChange({ plannedReleaseAt: now })).not.toThrow();
  });

  it('reschedules, reporting the release it replaces', () => {
    const s = aSubmission();
    const { submission, effects } = update(s, { plannedReleaseAt: at('2027-01-10T00:00:00Z') }, now);
    expect(submission).toMatchObject({ plannedReleaseAt: at('2027-01-10T00:00:00Z'), updatedAt: now });
    expect(effects).toEqual([{ type: 'rescheduled', previousPlannedReleaseAt: s.plannedReleaseAt }]);
  });

  it('refuses a release in the past or before the earliest access', () => {
    expect(() => update(aSubmission(), { plannedReleaseAt: now }, now)).toThrow(expect.objectContaining({ code: 'release_in_past' }));
    const withEarliest = aSubmission({ earliestAccessAt: at('2026-12-10T00:00:00Z') });
    expect(() => update(withEarliest, { plannedReleaseAt: at('2026-12-09T00:00:00Z') }, now)).toThrow(expect.objectContaining({ code: 'release_before_access' }));
  });

  it('rotates the credential (the endpoint unchanged) or changes the endpoint', () => {
    expect(update(aSubmission(), { endpoint: { apiKeySealed: 'new' } }, now)).toMatchObject({
      submission: { endpointApiKeySealed: 'new' },
      effects: [{ type: 'credential-rotated', endpointChanged: false }],
    });
    expect(update(aSubmission(), { endpoint: { baseUrl: 'https://lab.example/v1' } }, now).effects).toEqual([{ type: 'credential-rotated', endpointChanged: false }]);
    expect(update(aSubmission(), { endpoint: { modelId: 'other' } }, now)).toMatchObject({
      submission: { endpointModelId: 'other' },
      effects: [{ type: 'credential-rotated', endpointChanged: true }],
    });
  });

  it('does both in one update, rescheduling first', () => {
    const { effects } = update(aSubmission(), { plannedReleaseAt: at('2027-01-10T00:00:00Z'), endpoint: { baseUrl: 'https://new.example/v1' } }, now);
    expect(effects.map((e) => e.type)).toEqual(['rescheduled', 'credential-rotated']);
  });

  it('changes nothing once the submission has ended', () => {
    expect(() => update(aSubmission({ status: 'withdrawn' }), { plannedReleaseAt: at('2027-01-10T00:00:00Z') }, now)).toThrow(
      expect.objectContaining({ code: 'submission_not_active', status: 409 }),
    );
  });
});

describe('withdraw and release', () => {
  it('withdraws at once, and a second time changes nothing', () => {
    const first = withdraw(aSubmission(), now);
    expect(first).toMatchObject({ submission: { status: 'withdrawn', withdrawnAt: now, updatedAt: now }, effects: [{ type: 'withdrawn' }] });
    expect(withdraw(first.submission, at('2026-11-27T00:00:00Z'))).toEqual({ submission: first.submission, effects: [] });
  });

  it('has nothing to withdraw once released', () => {
    expect(() => withdraw(aSubmission({ status: 'released' }), now)).toThrow(expect.objectContaining({ code: 'submission_released', status: 409 }));
  });

  it('releases now or at a moment already past, never in the future', () => {
    expect(release(aSubmission(), undefined, now)).toMatchObject({ submission: { status: 'released', releasedAt: now, updatedAt: now }, effects: [{ type: 'released' }] });
    expect(release(aSubmission(), at('2026-11-25T00:00:00Z'), now).submission.releasedAt).toEqual(at('2026-11-25T00:00:00Z'));
    expect(() => release(aSubmission(), at('2026-11-27T00:00:00Z'), now)).toThrow(expect.objectContaining({ code: 'release_in_future', status: 422 }));
  });

  it('changes nothing on a second release, and does not release a withdrawn submission', () => {
    const released = aSubmission({ status: 'released', releasedAt: now });
    expect(release(released, undefined, now)).toEqual({ submission: released, effects: [] });
    expect(() => release(aSubmission({ status: 'withdrawn' }), undefined, now)).toThrow(expect.objectContaining({ code: 'submission_withdrawn' }));
  });
});

describe('cursors', () => {
  it('round-trip an id and refuse anything else', () => {
    const id = '019abcde-0000-7000-8000-000000000001';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(() => decodeCursor('bm90LWFuLWlk')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
