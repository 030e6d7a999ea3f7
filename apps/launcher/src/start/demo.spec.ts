// The pure parts of the demo walkthrough: the submission it makes, its idempotency keys, what it prints.
import { curlLines, demoIdempotencyKey, demoSubmissionBody, describeAnswer, freshIdempotencyKey, isDemoState, isKeyOfDay, shellQuote } from './demo';

const AGENCY = '0192f0a0-0000-7000-8000-00000000a9e1';

describe('demo walkthrough', () => {
  it('submits the demo lab model for the demo agency, its release planned ten days after the start of the day', () => {
    const body = demoSubmissionBody({
      simulatorUrl: 'http://127.0.0.1:3010/', simulatorKey: 'sk-lab-sim-x', modelId: 'acme-frontier-2026-12', agencyId: AGENCY,
      now: new Date('2026-11-27T15:42:10.123Z'),
    });
    expect(body).toEqual({
      model: { name: 'acme-frontier', version: 'demo' },
      plannedReleaseAt: '2026-12-07T00:00:00.000Z',
      endpoint: { baseUrl: 'http://127.0.0.1:3010/v1', modelId: 'acme-frontier-2026-12', apiKey: 'sk-lab-sim-x' },
      agencies: [AGENCY],
    });
  });

  it('makes the same body and key all day, so a restart replays the submission; another key when that is taken', () => {
    const input = { simulatorUrl: 'http://127.0.0.1:3010', simulatorKey: 'k', modelId: 'm', agencyId: AGENCY };
    const morning = new Date('2026-11-27T00:00:01Z');
    const evening = new Date('2026-11-27T23:59:59Z');
    expect(demoSubmissionBody({ ...input, now: morning })).toEqual(demoSubmissionBody({ ...input, now: evening }));
    expect(demoIdempotencyKey(morning)).toBe('demo-2026-11-27');
    expect(demoIdempotencyKey(evening)).toBe('demo-2026-11-27');
    expect(demoIdempotencyKey(new Date('2026-11-28T00:00:00Z'))).toBe('demo-2026-11-28');
    expect(freshIdempotencyKey(evening)).toBe(`demo-${evening.getTime()}`);
    expect(freshIdempotencyKey(evening)).not.toBe(demoIdempotencyKey(evening));
    // A fresh key made earlier today is reused today (a restart replays); yesterday's keys are not.
    expect(isKeyOfDay('demo-2026-11-27', evening)).toBe(true);
    expect(isKeyOfDay(freshIdempotencyKey(morning), evening)).toBe(true);
    expect(isKeyOfDay('demo-2026-11-26', evening)).toBe(false);
    expect(isKeyOfDay(freshIdempotencyKey(new Date('2026-11-26T23:59:59Z')), evening)).toBe(false);
    expect(isKeyOfDay(undefined, evening)).toBe(false);
  });

  it('prints curl lines that paste into a shell as they are', () => {
    const [window, ask] = curlLines({ gatewayUrl: 'http://127.0.0.1:3000/', submissionId: 'abc', labKey: 'vnt_lab_1', agencyKey: 'vnt_ag_2' });
    expect(window).toBe("curl -s -H 'Authorization: Bearer vnt_lab_1' http://127.0.0.1:3000/v1/submissions/abc/window");
    expect(ask).toBe(
      "curl -s -H 'Authorization: Bearer vnt_ag_2' -H 'Content-Type: application/json' " +
        `-d '{"messages":[{"role":"user","content":"Task: compute 37 + 45. Answer with the number only."}]}' ` +
        'http://127.0.0.1:3000/v1/access/abc/chat/completions',
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('never prints the demo lab model’s key', () => {
    const lines = curlLines({ gatewayUrl: 'http://h:1', submissionId: 's', labKey: 'vnt_l', agencyKey: 'vnt_a' }).join('\n');
    expect(lines).not.toContain('sk-lab-sim');
  });

  it('says what an answer was: status, problem code and detail', () => {
    expect(describeAnswer({ status: 409, body: { code: 'idempotency_key_reused', detail: 'used with a different body' }, text: '' })).toBe(
      'HTTP 409 idempotency_key_reused: used with a different body',
    );
    expect(describeAnswer({ status: 502, body: undefined, text: '<html>\n bad gateway </html>' })).toBe('HTTP 502: <html> bad gateway </html>');
    expect(describeAnswer({ status: 0, body: undefined, text: 'ECONNREFUSED' })).toBe('no answer (ECONNREFUSED)');
  });

  it('keeps using .vantage/demo.json only when it holds both organisations and their keys', () => {
    expect(isDemoState({ lab: { id: 'a', key: 'b' }, agency: { id: 'c', key: 'd' } })).toBe(true);
    expect(isDemoState({ lab: { id: 'a', key: 'b' } })).toBe(false);
    expect(isDemoState({ lab: { id: 'a' }, agency: { id: 'c', key: 'd' } })).toBe(false);
    expect(isDemoState(null)).toBe(false);
  });
});
