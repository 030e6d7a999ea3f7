// Organisations as rows, with the outbox row of `organisation.created`, in the caller's transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Audience, OrganisationCreated } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { Organisation } from './organisation.entity';

@Injectable()
export class OrganisationStore {
  constructor(private readonly outbox: EventOutbox) {}

  async find(tx: EntityManager, id: string): Promise<Organisation | undefined> {
    return (await tx.getRepository(Organisation).findOneBy({ id })) ?? undefined;
  }

  /** Every organisation, oldest first. */
  async all(tx: EntityManager): Promise<Organisation[]> {
    return tx.getRepository(Organisation).find({ order: { createdAt: 'ASC' } });
  }

  /** Which of these ids are agencies in the programme. */
  async agenciesAmong(tx: EntityManager, ids: string[]): Promise<Set<string>> {
    const known: { id: string }[] = await tx.query(`SELECT id FROM organisations WHERE kind = 'agency' AND id = ANY($1::uuid[])`, [ids]);
    return new Set(known.map((k) => k.id));
  }

  /** Stores a new organisation and records `organisation.created`: other services keep their own list from it. */
  async insert(tx: EntityManager, org: Organisation): Promise<void> {
    await tx.getRepository(Organisation).insert(org);
    await this.outbox.record(tx, OrganisationCreated, {
      subject: org.id,
      audience: Audience.operatorsAnd([org.id]),
      data: { orgId: org.id, name: org.name, kind: org.kind, ...(org.clearance ? { clearance: org.clearance } : {}), createdAt: org.createdAt.toISOString() },
    });
  }

  /** The programme's own operator organisation, made once (no event: it is the gateway's, not a member). */
  async ensureOperators(tx: EntityManager, id: string, now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO organisations (id, name, kind, clearance, created_at) VALUES ($1, 'Programme operators', 'operator', NULL, $2)
       ON CONFLICT (id) DO NOTHING`,
      [id, now],
    );
  }
}
