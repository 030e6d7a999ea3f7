// Who wants what, and what they are sent: the rules every channel (webhooks, the live stream, NATS feeds, replay)
// shares. Pure: the audience stamped on an event by its producer decides, and is never widened here.
import { Audience, AudienceMember, CallerIdentity, EventEnvelope } from '@vantage/contracts';
import { matchesAny } from './type-patterns';

/** An organisation as the notifier knows it (from intake's organisation.created). */
export interface OrganisationRow {
  id: string;
  kind: AudienceMember['kind'];
  clearance: AudienceMember['clearance'] | null;
}

export function audienceMember(row: OrganisationRow): AudienceMember {
  return { id: row.id, kind: row.kind, ...(row.clearance ? { clearance: row.clearance } : {}) };
}

/** The directory's record is the authority; a caller's own identity fills the gap before its organisation.created. */
export function memberOf(row: OrganisationRow | undefined, caller: CallerIdentity): AudienceMember {
  return row ? audienceMember(row) : { id: caller.orgId, kind: caller.kind, ...(caller.clearance ? { clearance: caller.clearance } : {}) };
}

/** Whether a subscription gets an event: it asked for the type, and its owner is in the event's audience. */
export function subscriberWants(types: string[], owner: OrganisationRow, eventType: string, audience: string | Audience): boolean {
  if (!matchesAny(types, eventType)) return false;
  return (typeof audience === 'string' ? Audience.parse(audience) : audience).includes(audienceMember(owner));
}

/**
 * The body every channel sends: the CloudEvent as published, without the `audience` extension, which routes the
 * event inside Vantage and would tell a subscriber which other organisations see it.
 */
export function webhookBody(event: EventEnvelope<unknown>): string {
  const { audience: _routing, ...cloudEvent } = event;
  return JSON.stringify(cloudEvent);
}
