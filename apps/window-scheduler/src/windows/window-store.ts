// Loads a window as the pure state machine sees it, and writes a transition back: rows, timers and events,
// all in the caller's transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  Audience, GrantIssued, GrantRevoked, WindowCancelled, WindowClosed, WindowClosingSoon, WindowOpened, WindowRescheduled, WindowScheduled,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { DurableTimers } from '@vantage/scheduling';
import { AccessWindow, Transition, WindowState } from './access-window';
import { GrantRow, WindowRow } from './window.entity';

/** A submission's id wins over anything else as the timer key; kinds are namespaced for this service. */
export const TIMER_KINDS = { open: 'window.open', 'closing-soon': 'window.closing-soon', close: 'window.close' } as const;

/** A handler met an event before the one it builds on (another replica is still on it): retried later. */
export class WindowNotYetKnownError extends Error {
  constructor(submissionId: string) {
    super(`window of submission ${submissionId} is not recorded yet`);
  }
}

export interface LoadedWindow {
  row: WindowRow;
  window: AccessWindow;
  grantRows: GrantRow[];
}

@Injectable()
export class WindowStore {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly timers: DurableTimers,
  ) {}

  /** A window with its grants, for reading (no lock). */
  async find(m: EntityManager, submissionId: string): Promise<{ row: WindowRow; grants: GrantRow[] } | undefined> {
    const row = await m.getRepository(WindowRow).findOneBy({ submissionId });
    if (!row) return undefined;
    return { row, grants: await m.getRepository(GrantRow).find({ where: { submissionId }, order: { issuedAt: 'ASC' } }) };
  }

  /**
   * Up to `limit` windows, soonest opening first, of one lab or granted to one agency (or all), optionally in one
   * state, each with its grants.
   */
  async list(m: EntityManager, scope: { labId?: string; agencyId?: string }, state: WindowState | undefined, limit: number): Promise<{ row: WindowRow; grants: GrantRow[] }[]> {
    const q = m.getRepository(WindowRow).createQueryBuilder('w').orderBy('w.opens_at', 'ASC').limit(limit);
    if (state) q.andWhere('w.state = :state', { state });
    if (scope.labId) q.andWhere('w.lab_id = :lab', { lab: scope.labId });
    if (scope.agencyId) q.andWhere('EXISTS (SELECT 1 FROM grants g WHERE g.submission_id = w.submission_id AND g.agency_id = :agency)', { agency: scope.agencyId });
    const rows = await q.getMany();
    const grants = rows.length
      ? await m.getRepository(GrantRow).createQueryBuilder('g').where('g.submission_id IN (:...ids)', { ids: rows.map((r) => r.submissionId) }).getMany()
      : [];
    return rows.map((row) => ({ row, grants: grants.filter((g) => g.submissionId === row.submissionId) }));
  }

  async load(tx: EntityManager, submissionId: string): Promise<LoadedWindow | undefined> {
    const row = await tx.getRepository(WindowRow).createQueryBuilder('w').setLock('pessimistic_write')
      .where('w.submission_id = :submissionId', { submissionId }).getOne();
    if (!row) return undefined;
    const grantRows = await tx.getRepository(GrantRow).find({ where: { submissionId } });
    const window: AccessWindow = {
      state: row.state,
      opensAt: row.opensAt,
      closesAt: row.closesAt,
      plannedReleaseAt: row.plannedReleaseAt,
      earliestAccessAt: row.earliestAccessAt,
      closedAt: row.closedAt,
      closedReason: row.closedReason,
      grants: new Map(grantRows.map((g) => [g.agencyId, g.state])),
    };
    return { row, window, grantRows };
  }

  async require(tx: EntityManager, submissionId: string): Promise<LoadedWindow> {
    const loaded = await this.load(tx, submissionId);
    if (!loaded) throw new WindowNotYetKnownError(submissionId);
    return loaded;
  }

  /** Writes the transition: the window row, its grants, its timers and one event per effect. */
  async save(tx: EntityManager, row: WindowRow, t: Transition, now: Date, isNew = false): Promise<void> {
    const w = t.window;
    Object.assign(row, {
      state: w.state, opensAt: w.opensAt, closesAt: w.closesAt, plannedReleaseAt: w.plannedReleaseAt,
      closedAt: w.closedAt, closedReason: w.closedReason, updatedAt: now,
    });
    if (isNew) await tx.insert(WindowRow, row);
    else await tx.save(WindowRow, row);

    if (t.timers) {
      await this.timers.cancel(tx, row.submissionId);
      for (const timer of t.timers) await this.timers.schedule(tx, { entityId: row.submissionId, kind: TIMER_KINDS[timer.kind], dueAt: timer.dueAt });
    }

    const grantIds = new Map((await tx.getRepository(GrantRow).find({ where: { submissionId: row.submissionId } })).map((g) => [g.agencyId, g.id]));
    const times = { submissionId: row.submissionId, labId: row.labId, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString() };
    const granted = [...w.grants.keys()];
    const windowAudience = Audience.of({
      orgs: [row.labId, ...granted, ...(w.state === 'scheduled' && row.agencies ? row.agencies : [])],
      roles: w.state === 'scheduled' && !row.agencies ? ['operator', 'agency'] : ['operator'],
    });
    for (const effect of t.effects) {
      switch (effect.type) {
        case 'scheduled':
          await this.outbox.record(tx, WindowScheduled, { subject: row.submissionId, audience: windowAudience, data: { ...times, ...(row.agencies ? { agencies: row.agencies } : {}) } });
          break;
        case 'rescheduled':
          await this.outbox.record(tx, WindowRescheduled, { subject: row.submissionId, audience: windowAudience, data: { ...times, previousClosesAt: effect.previousClosesAt.toISOString() } });
          break;
        case 'opened':
          await this.outbox.record(tx, WindowOpened, { subject: row.submissionId, audience: windowAudience, data: times });
          break;
        case 'closing-soon':
          await this.outbox.record(tx, WindowClosingSoon, { subject: row.submissionId, audience: windowAudience, data: times });
          break;
        case 'closed':
          await this.outbox.record(tx, WindowClosed, {
            subject: row.submissionId, audience: windowAudience, data: { ...times, closedAt: effect.at.toISOString(), closedReason: effect.reason },
          });
          break;
        case 'cancelled':
          await this.outbox.record(tx, WindowCancelled, {
            subject: row.submissionId, audience: windowAudience, data: { ...times, cancelledAt: effect.at.toISOString(), reason: effect.reason },
          });
          break;
        case 'grant-issued': {
          const id = grantIds.get(effect.agencyId) ?? uuidv7({ msecs: effect.at.getTime() });
          if (grantIds.has(effect.agencyId)) {
            await tx.update(GrantRow, { id }, { state: 'active', issuedAt: effect.at, revokedAt: null, revokedReason: null });
          } else {
            await tx.insert(GrantRow, { id, submissionId: row.submissionId, agencyId: effect.agencyId, state: 'active', issuedAt: effect.at, revokedAt: null, revokedReason: null });
            grantIds.set(effect.agencyId, id);
          }
          await this.outbox.record(tx, GrantIssued, {
            subject: row.submissionId,
            audience: Audience.operatorsAnd([row.labId, effect.agencyId]),
            data: { grantId: id, submissionId: row.submissionId, agencyId: effect.agencyId, labId: row.labId, issuedAt: effect.at.toISOString(), expiresAt: w.closesAt.toISOString() },
          });
          break;
        }
        case 'grant-revoked': {
          const id = grantIds.get(effect.agencyId)!;
          await tx.update(GrantRow, { id }, { state: 'revoked', revokedAt: effect.at, revokedReason: effect.reason });
          await this.outbox.record(tx, GrantRevoked, {
            subject: row.submissionId,
            audience: Audience.operatorsAnd([row.labId, effect.agencyId]),
            data: { grantId: id, submissionId: row.submissionId, agencyId: effect.agencyId, labId: row.labId, revokedAt: effect.at.toISOString(), reason: effect.reason },
          });
          break;
        }
      }
    }
  }
}
