import { Audience, EventEnvelope } from '@vantage/contracts';
import { audienceMember, memberOf, subscriberWants, webhookBody } from './audience';

const agency = { id: '0190d1f6-0000-7000-8000-00000000000a', kind: 'agency' as const, clearance: 'secret' as const };

describe('audience rules', () => {
  it('gives a subscription an event of a type it asked for when its owner is in the audience', () => {
    expect(subscriberWants(['gov.vantage.window.*'], agency, 'gov.vantage.window.window.opened.v1', 'role:agency')).toBe(true);
    expect(subscriberWants(['gov.vantage.window.*'], agency, 'gov.vantage.vuln.case.opened.v1', 'role:agency')).toBe(false);
    expect(subscriberWants(['*'], agency, 'gov.vantage.window.window.opened.v1', 'role:operator')).toBe(false);
    expect(subscriberWants(['*'], agency, 'gov.vantage.window.window.opened.v1', Audience.parse(`org:${agency.id}`))).toBe(true);
  });

  it('takes the directory over the caller, and the caller when the directory has not heard of it yet', () => {
    const caller = { orgId: agency.id, kind: 'agency' as const };
    expect(memberOf(agency, caller)).toEqual(audienceMember(agency));
    expect(memberOf(undefined, caller)).toEqual({ id: agency.id, kind: 'agency' });
    expect(audienceMember({ ...agency, clearance: null })).toEqual({ id: agency.id, kind: 'agency' });
  });

  it('sends the CloudEvent without the audience that routes it inside Vantage', () => {
    const event = { specversion: '1.0', id: 'e1', type: 't', source: 's', audience: 'org:x org:y', data: { a: 1 } } as unknown as EventEnvelope<unknown>;
    const body = JSON.parse(webhookBody(event));
    expect(body).toEqual({ specversion: '1.0', id: 'e1', type: 't', source: 's', data: { a: 1 } });
  });
});
