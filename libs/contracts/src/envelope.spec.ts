import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import { Audience } from './audience';
import { EVENT_CATALOGUE } from './catalogue';
import { createEvent, parseEvent, PayloadInvalidError } from './envelope';
import { SubmissionReceived } from './events/intake.events';

const data = {
  submissionId: '0192f0a0-0000-7000-8000-000000000001',
  labId: 'lab1',
  model: { name: 'acme-frontier', version: '2026-12' },
  plannedReleaseAt: '2026-12-20T00:00:00Z',
  receivedAt: '2026-11-26T00:00:00Z',
};

describe('event envelope', () => {
  it('builds a CloudEvents 1.0 envelope with a UUIDv7 id, type, subject and audience', () => {
    const e = createEvent(SubmissionReceived, {
      source: 'intake', subject: data.submissionId, data, time: new Date('2026-11-26T00:00:00Z'),
      audience: Audience.operatorsAnd(['lab1']),
    });
    expect(e).toMatchObject({
      specversion: '1.0', source: 'intake', type: 'gov.vantage.intake.submission.received.v1',
      subject: data.submissionId, time: '2026-11-26T00:00:00.000Z', audience: 'org:lab1 role:operator',
    });
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(SubmissionReceived.subject('vantage')).toBe('vantage.intake.submission.received');
    expect(parseEvent(SubmissionReceived, JSON.parse(JSON.stringify(e)))).toEqual(e);
  });

  it('builds envelopes that pass the CloudEvents SDK, for any producer, entity id, time and catalogue type', () => {
    // createEvent leaves the SDK's check to the consuming side (parseEvent): this holds it to that check.
    const services = ['intake', 'window-scheduler', 'benchmark-runner', 'vuln-clearinghouse', 'notifier'];
    fc.assert(
      fc.property(
        fc.constantFrom(...services),
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...EVENT_CATALOGUE.map((d) => d.type)),
        (source, subject, time, type) => {
          const e = createEvent(SubmissionReceived, { source, subject, data, time, audience: Audience.operatorsAnd(['lab1']) });
          expect(() => new CloudEvent({ ...e, type }, true)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an event without a source or a subject', () => {
    for (const [source, subject] of [['', 'x'], ['intake', '']]) {
      expect(() => createEvent(SubmissionReceived, { source, subject, data, time: new Date(), audience: Audience.operatorsAnd(['lab1']) })).toThrow(
        /needs a source and a subject/,
      );
    }
  });

  it('carries the payload as JSON would: dates as strings, undefined members left out', () => {
    const e = createEvent(SubmissionReceived, {
      source: 'intake', subject: data.submissionId, time: new Date('2026-11-26T00:00:00Z'), audience: Audience.operatorsAnd(['lab1']),
      data: { ...data, receivedAt: new Date('2026-11-26T00:00:00Z') as unknown as string, earliestAccessAt: undefined, agencies: undefined },
    });
    expect(e.data).toEqual(JSON.parse(JSON.stringify({ ...data, receivedAt: '2026-11-26T00:00:00.000Z' })));
    expect(Object.keys(e.data)).not.toContain('earliestAccessAt');
  });

  it('refuses a payload that breaks its contract, naming the field', () => {
    const bad = { ...data, model: { name: '', version: '1' }, extra: true } as any;
    expect(() => createEvent(SubmissionReceived, {
      source: 'intake', subject: 'x', data: bad, time: new Date(), audience: Audience.of({ roles: ['operator'] }),
    })).toThrow(PayloadInvalidError);
    try {
      parseEvent(SubmissionReceived, { specversion: '1.0', id: 'a', source: 's', type: SubmissionReceived.type, subject: 'x',
        time: new Date().toISOString(), datacontenttype: 'application/json', data: bad, traceparent: 't', correlationid: 'c', audience: '' });
    } catch (err) {
      const fields = (err as PayloadInvalidError).problems.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['model.name', 'extra']));
    }
    expect.assertions(2);
  });

  it('audience admits listed orgs, listed roles and cleared agencies only', () => {
    const a = Audience.parse('org:lab1 role:operator clearance:secret');
    expect(a.includes({ id: 'lab1', kind: 'lab' })).toBe(true);
    expect(a.includes({ id: 'op', kind: 'operator' })).toBe(true);
    expect(a.includes({ id: 'ag1', kind: 'agency', clearance: 'top-secret' })).toBe(true);
    expect(a.includes({ id: 'ag2', kind: 'agency', clearance: 'cui' })).toBe(false);
    expect(a.includes({ id: 'lab2', kind: 'lab' })).toBe(false);
    expect(Audience.parse(a.encode()).encode()).toBe(a.encode());
  });
});
