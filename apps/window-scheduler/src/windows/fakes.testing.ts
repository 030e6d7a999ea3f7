// Plain-object stand-ins for the scheduler's stores in use-case specs (unit tests: no Postgres). Each records its calls.
import { EntityManager } from 'typeorm';
import { WindowSchedulerConfig } from '../config';
import { AccessWindow, Transition } from './access-window';
import { GrantRow, WindowRow } from './window.entity';

export const TX = {} as EntityManager;
export const CONFIG = { WINDOW_MAX_DAYS: 30, WINDOW_CLOSING_SOON_HOURS: 24 } as WindowSchedulerConfig;
export const SUBMISSION = '0190d1f6-0000-7000-8000-0000000000a1';
export const LAB_ID = '0190d1f6-0000-7000-8000-0000000000b1';

export function windowRow(over: Partial<WindowRow> = {}): WindowRow {
  return Object.assign(new WindowRow(), {
    submissionId: SUBMISSION, labId: LAB_ID, state: 'scheduled', opensAt: new Date('2026-12-10T00:00:00Z'), closesAt: new Date('2026-12-20T00:00:00Z'),
    plannedReleaseAt: new Date('2026-12-20T00:00:00Z'), earliestAccessAt: null, agencies: null, closedAt: null, closedReason: null,
    updatedAt: new Date('2026-12-01T00:00:00Z'), ...over,
  });
}

export function grantRow(agencyId: string, state: 'active' | 'revoked' = 'active'): GrantRow {
  return { id: `g-${agencyId}`, submissionId: SUBMISSION, agencyId, state, issuedAt: new Date('2026-12-10T00:00:00Z'), revokedAt: null, revokedReason: null };
}

function accessWindow(row: WindowRow, grants: GrantRow[]): AccessWindow {
  return {
    state: row.state, opensAt: row.opensAt, closesAt: row.closesAt, plannedReleaseAt: row.plannedReleaseAt, earliestAccessAt: row.earliestAccessAt,
    closedAt: row.closedAt, closedReason: row.closedReason, grants: new Map(grants.map((g) => [g.agencyId, g.state])),
  };
}

/** Windows kept in memory; `saved` lists each transition written, as the store would write it. */
export function fakeWindowStore(rows: WindowRow[] = [], grants: GrantRow[] = []) {
  const saved: { row: WindowRow; t: Transition; now: Date; isNew: boolean }[] = [];
  const load = async (_tx: EntityManager, id: string) => {
    const row = rows.find((r) => r.submissionId === id);
    return row && { row, window: accessWindow(row, grants), grantRows: grants };
  };
  return {
    saved,
    load,
    async require(tx: EntityManager, id: string) {
      const loaded = await load(tx, id);
      if (!loaded) throw new Error(`window of submission ${id} is not recorded yet`);
      return loaded;
    },
    async save(_tx: EntityManager, row: WindowRow, t: Transition, now: Date, isNew = false) {
      saved.push({ row, t, now, isNew });
    },
    async find(_m: EntityManager, id: string) {
      const row = rows.find((r) => r.submissionId === id);
      return row && { row, grants };
    },
    async list(_m: EntityManager, scope: { labId?: string; agencyId?: string }, state: string | undefined, limit: number) {
      return rows
        .filter((r) => (!state || r.state === state) && (!scope.labId || r.labId === scope.labId) && (!scope.agencyId || grants.some((g) => g.agencyId === scope.agencyId && g.submissionId === r.submissionId)))
        .slice(0, limit)
        .map((row) => ({ row, grants: grants.filter((g) => g.submissionId === row.submissionId) }));
    },
  };
}
