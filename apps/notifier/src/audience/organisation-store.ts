// The notifier's own copy of the programme's organisations (kind, clearance): what an event's audience is tested
// against. Fed by intake's organisation.created; a subscriber's own identity fills the gap when that event has not
// been handled yet, so a subscription always has an owner to test.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, EventEnvelope, OrganisationCreated, OrganisationCreatedV1 } from '@vantage/contracts';
import { OrganisationRow } from './audience';

@Injectable()
export class OrganisationStore {
  /** The organisation.created events among `events`, recorded: the event is the authority, over a caller's identity. */
  async recordCreated(tx: EntityManager, events: EventEnvelope<unknown>[]): Promise<void> {
    const created = events.filter((e) => e.type === OrganisationCreated.type) as EventEnvelope<OrganisationCreatedV1>[];
    for (const { data } of created) {
      await tx.query(
        `INSERT INTO notify.organisations (id, kind, clearance, joined_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, clearance = EXCLUDED.clearance`,
        [data.orgId, data.kind, data.clearance ?? null, data.createdAt],
      );
    }
  }

  async ensureCaller(tx: EntityManager, caller: CallerIdentity, now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO notify.organisations (id, kind, clearance, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [caller.orgId, caller.kind, caller.clearance ?? null, now],
    );
  }

  /** Takes the organisation's row lock: its subscription creations happen one at a time. */
  async lock(tx: EntityManager, orgId: string): Promise<void> {
    await tx.query('SELECT id FROM notify.organisations WHERE id = $1 FOR UPDATE', [orgId]);
  }

  async find(m: EntityManager, orgId: string): Promise<OrganisationRow | undefined> {
    const [row]: OrganisationRow[] = await m.query('SELECT id, kind, clearance FROM notify.organisations WHERE id = $1', [orgId]);
    return row;
  }

  /** The whole directory: the programme has hundreds of organisations, not millions. */
  async all(m: EntityManager): Promise<OrganisationRow[]> {
    return m.query('SELECT id, kind, clearance FROM notify.organisations');
  }
}
