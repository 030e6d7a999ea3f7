// Plain-object stand-ins for the notifier's stores in use-case specs (unit tests: no Postgres). Each records its calls.
import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { OrganisationRow } from '../audience/audience';
import { SubscriptionRow } from './subscription-store';

export const TX = {} as EntityManager;
export const LAB: CallerIdentity = { orgId: '0190d1f6-0000-7000-8000-0000000000a1', kind: 'lab' };
export const AGENCY: CallerIdentity = { orgId: '0190d1f6-0000-7000-8000-0000000000b2', kind: 'agency', clearance: 'secret' };

export function subscriptionRow(over: Partial<SubscriptionRow> = {}): SubscriptionRow {
  return {
    id: '0190d1f6-0000-7000-8000-0000000000c3', org_id: AGENCY.orgId, url: 'https://hooks.example/x', types: ['*'], state: 'active',
    secret_sealed: 'sealed-1', previous_secret_sealed: null, previous_secret_expires_at: null, failing_since: null, disabled_reason: null,
    disabled_at: null, created_at: new Date('2026-12-01T00:00:00Z'), ...over,
  };
}

/** Subscriptions held in a list; only the owner finds its own. */
export function fakeSubscriptionStore(rows: SubscriptionRow[] = []) {
  const calls: string[] = [];
  return {
    rows, calls,
    async findOwn(_m: EntityManager, id: string, caller: CallerIdentity, lock = false) {
      calls.push(`findOwn ${id}${lock ? ' locked' : ''}`);
      const row = rows.find((r) => r.id === id && r.org_id === caller.orgId);
      if (!row) throw new NotFoundError('subscription');
      return row;
    },
    async listOwn(_m: EntityManager, orgId: string, state?: string) {
      return rows.filter((r) => r.org_id === orgId && (!state || r.state === state));
    },
    async countOwn(_m: EntityManager, orgId: string) {
      return rows.filter((r) => r.org_id === orgId).length;
    },
    async insert(_m: EntityManager, row: { id: string; orgId: string; url: string; types: string[]; secretSealed: string; createdAt: Date }) {
      calls.push(`insert ${row.url}`);
      rows.push(subscriptionRow({ id: row.id, org_id: row.orgId, url: row.url, types: row.types, secret_sealed: row.secretSealed, created_at: row.createdAt }));
    },
    async sealedSecret(_m: EntityManager, id: string) {
      return rows.find((r) => r.id === id)?.secret_sealed;
    },
    async rotateSecret(_m: EntityManager, id: string, sealed: string, expires: Date) {
      const row = rows.find((r) => r.id === id)!;
      Object.assign(row, { previous_secret_sealed: row.secret_sealed, secret_sealed: sealed, previous_secret_expires_at: expires });
    },
    async delete(_m: EntityManager, id: string) {
      calls.push(`delete ${id}`);
      rows.splice(rows.findIndex((r) => r.id === id), 1);
    },
    async active() {
      return rows
        .filter((r) => r.state === 'active')
        .map((r) => ({ subscription_id: r.id, types: r.types, id: r.org_id, kind: 'agency' as const, clearance: 'secret' as const }));
    },
  };
}

export function fakeOrganisationStore(rows: OrganisationRow[] = []) {
  const calls: string[] = [];
  return {
    rows, calls,
    async recordCreated(_m: EntityManager, events: { type: string }[]) {
      calls.push(`recordCreated ${events.length}`);
    },
    async ensureCaller(_m: EntityManager, caller: CallerIdentity) {
      calls.push(`ensureCaller ${caller.orgId}`);
    },
    async lock(_m: EntityManager, orgId: string) {
      calls.push(`lock ${orgId}`);
    },
    async find(_m: EntityManager, orgId: string) {
      return rows.find((r) => r.id === orgId);
    },
    async all() {
      return rows;
    },
  };
}

/** Seals by tagging the secret with its subscription, as SecretBox binds it. */
export const fakeSecrets = {
  generate: () => `whsec_${'k'.repeat(8)}`,
  seal: (id: string, secret: string) => `sealed(${id}:${secret})`,
  open: (id: string, sealed: string) => sealed.slice(`sealed(${id}:`.length, -1),
};
