// The notifier's own copy of the programme's organisations (kind, clearance): what an event's audience is
// tested against. Fed by intake's organisation.created; a subscriber's own identity fills the gap when that
// event has not been handled yet, so a subscription always has an owner to test.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AudienceMember, CallerIdentity, EventEnvelope, OrganisationCreatedV1 } from '@vantage/contracts';

export interface OrganisationRow {
  id: string;
  kind: AudienceMember['kind'];
  clearance: AudienceMember['clearance'] | null;
}

export function audienceMember(row: OrganisationRow): AudienceMember {
  return { id: row.id, kind: row.kind, ...(row.clearance ? { clearance: row.clearance } : {}) };
}

@Injectable()
export class OrganisationDirectory {
  /** The event is the authority: it overwrites what a caller's identity filled in. */
  async recordCreated(tx: EntityManager, events: EventEnvelope<OrganisationCreatedV1>[]): Promise<void> {
    for (const { data } of events) {
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
}
