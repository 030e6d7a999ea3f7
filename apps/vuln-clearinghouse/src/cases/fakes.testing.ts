// Plain fakes for the use case specs: a store that records every call (without its transaction) and answers from
// a table of functions, a fixed clock and idempotency keys that always run the work.
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, SeverityView } from '@vantage/contracts';
import { IdempotencyKeys } from '@vantage/persistence';
import { CaseHead } from './case-workflow';
import { StoredFinding } from './finding';

export type Call = [string, ...unknown[]];

export type Answers<T> = { [K in keyof T]?: T[K] extends (tx: EntityManager, ...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

/** A store whose every method records its call and answers `answers[method](...args)` (undefined if not given). */
export function recordingStore<T extends object>(answers: Answers<T> = {}): { store: T; calls: Call[]; called: (name: keyof T) => unknown[][] } {
  const calls: Call[] = [];
  const store = new Proxy({} as T, {
    get: (_target, name) => async (_tx: EntityManager, ...args: unknown[]) => {
      calls.push([String(name), ...args]);
      const answer = (answers as Record<string | symbol, ((...a: unknown[]) => unknown) | undefined>)[name];
      return answer ? answer(...args) : undefined;
    },
  });
  return { store, calls, called: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
}

export const TX = {} as EntityManager;
export const NOW = new Date('2026-12-01T12:00:00.000Z');
export const clock = { now: () => NOW } as Clock;

/** Idempotency keys that always run the work (a first request). */
export const freshKeys = { run: async <T>(_tx: EntityManager, _claim: unknown, _now: Date, work: () => Promise<T>) => ({ body: await work(), replayed: false }) } as IdempotencyKeys;

export const ANALYST: CallerIdentity = { orgId: 'org-clearinghouse', kind: 'clearinghouse' };
export const LAB: CallerIdentity = { orgId: 'org-lab', kind: 'lab' };
export const AGENCY: CallerIdentity = { orgId: 'org-agency', kind: 'agency' };
export const OPERATOR: CallerIdentity = { orgId: 'org-operator', kind: 'operator' };

export const HIGH: SeverityView = { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N', baseScore: 6.5, baseSeverity: 'MEDIUM' };
export const CRITICAL: SeverityView = { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, baseSeverity: 'CRITICAL' };

export const CASE_ID = '018f0000-0000-7000-8000-000000000001';
export const OTHER_ID = '018f0000-0000-7000-8000-000000000002';

export function aCase(over: Partial<CaseHead> = {}): CaseHead {
  return {
    id: CASE_ID, title: 'SQL injection in search', state: 'triaged', deadlineAt: new Date('2027-02-01T00:00:00.000Z'), exploitedInWild: false, severity: HIGH,
    ...over,
  };
}

export function aFinding(id: string, over: Partial<StoredFinding> = {}): StoredFinding {
  return {
    id, caseId: CASE_ID, reporterOrgId: 'org-lab', title: `finding ${id}`, description: 'a description', affected: [{ purl: 'pkg:npm/acme-search@1.2.3' }],
    cwe: 'CWE-89', severity: HIGH, location: null, discoveredWith: null, exploitedInWild: false, fingerprint: `fp-${id}`,
    reportedAt: new Date('2026-11-01T00:00:00.000Z'), ...over,
  };
}
