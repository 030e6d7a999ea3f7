// The runner's reads and writes of runs, grants and decisions, with the audience of every event they make. Plain SQL
// on the caller's transaction, so a state change and its event commit together. What a run says and how a model is
// decided are rules (run.ts, scoring/policy.ts); this file only keeps them.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import {
  Audience, BenchModelClassified, BenchModelEvidenceRecorded, BenchRunAborted, BenchRunCompleted, BenchRunStarted, BenchRunV1, CanaryCheckV1,
  EventDefinition, IntervalMethod, RunState,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { Interval } from '../scoring/statistics';
import { SuiteRow } from '../suites/suite';
import { evidenceByClassification, RecordedDecision, unclassifiedPart } from './decision-visibility';
import { RunRow, runStanding, suiteRef } from './run';

const RUN_SELECT = `
  SELECT r.id, r.submission_id, r.suite_id, r.state, r.total, r.correct, r.wrong, r.errored, r.interrupted, r.accuracy, r.lower_bound,
         r.upper_bound, r.interval_method, r.canary_known, r.canary_matched, r.canary_errored, r.started_at, r.finished_at,
         r.abort_reason, s.name, s.version, s.content_hash, s.classification, s.threshold, s.epochs
  FROM bench.runs r JOIN bench.suites s ON s.id = r.suite_id`;

/** The run event that says where a run stands, for an agency told of it late (see publishLate). */
const EVENT_OF_STATE: Record<RunState, EventDefinition<BenchRunV1>> = { running: BenchRunStarted, completed: BenchRunCompleted, aborted: BenchRunAborted };

/** A run an executor holds the lease of. */
export interface ClaimedRun {
  id: string;
  submission_id: string;
  suite_id: string;
}

@Injectable()
export class RunStore {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  async runsOf(tx: EntityManager, submissionId: string): Promise<RunRow[]> {
    return tx.query(`${RUN_SELECT} WHERE r.submission_id = $1 ORDER BY s.name, s.version`, [submissionId]);
  }

  async run(tx: EntityManager, runId: string): Promise<RunRow | undefined> {
    const [row] = await tx.query(`${RUN_SELECT} WHERE r.id = $1`, [runId]);
    return row;
  }

  /** A running run of the suite on the submission; undefined if it has one already (a redelivery, a race). */
  async start(tx: EntityManager, submissionId: string, suite: Pick<SuiteRow, 'id' | 'item_count' | 'epochs'>, now: Date): Promise<RunRow | undefined> {
    const created: unknown[] = await tx.query(
      `INSERT INTO bench.runs (id, submission_id, suite_id, state, total, started_at) VALUES ($1, $2, $3, 'running', $4, $5)
       ON CONFLICT (submission_id, suite_id) DO NOTHING RETURNING id`,
      [uuidv7({ msecs: now.getTime() }), submissionId, suite.id, suite.item_count * suite.epochs, now],
    );
    return created.length ? this.run(tx, (created[0] as { id: string }).id) : undefined;
  }

  /** Aborts the submission's running runs and lets go of their leases; the ids of those it aborted. */
  async abortRunning(tx: EntityManager, submissionId: string, reason: string, now: Date): Promise<string[]> {
    const aborted = returned<{ id: string }>(await tx.query(
      `UPDATE bench.runs SET state = 'aborted', abort_reason = $2, finished_at = $3, lease_owner = NULL, lease_until = NULL
       WHERE submission_id = $1 AND state = 'running' RETURNING id`,
      [submissionId, reason, now],
    ));
    return aborted.map((r) => r.id);
  }

  /** Completes a running run with its final score and canary check; false if it was not running (aborted meanwhile). */
  async complete(
    tx: EntityManager, runId: string, now: Date, final: (Interval & { method: IntervalMethod }) | undefined, canary: CanaryCheckV1 | undefined,
  ): Promise<boolean> {
    const updated = returned(await tx.query(
      `UPDATE bench.runs SET state = 'completed', finished_at = $2, lease_owner = NULL, lease_until = NULL,
         accuracy = $3, lower_bound = $4, upper_bound = $5, interval_method = $6, canary_known = $7, canary_matched = $8, canary_errored = $9
       WHERE id = $1 AND state = 'running' RETURNING id`,
      [runId, now, final?.accuracy ?? null, final?.lower ?? null, final?.upper ?? null, final ? final.method : null,
        canary?.known ?? null, canary?.matched ?? null, canary ? canary.errored : null],
    ));
    return updated.length > 0;
  }

  /** Takes the lease of up to 20 running runs nobody holds (new ones, or those a stopped runner left), oldest first. */
  async claim(tx: EntityManager, owner: string, leaseMs: number, held: string[]): Promise<ClaimedRun[]> {
    return returned<ClaimedRun>(await tx.query(
      `UPDATE bench.runs SET lease_owner = $1, lease_until = now() + ($2 || ' milliseconds')::interval
       WHERE id IN (
         SELECT id FROM bench.runs
         WHERE state = 'running' AND (lease_until IS NULL OR lease_until < now()) AND NOT (id = ANY($3::uuid[]))
         ORDER BY started_at LIMIT 20 FOR UPDATE SKIP LOCKED)
       RETURNING id, submission_id, suite_id`,
      [owner, String(leaseMs), held],
    ));
  }

  /** Lets go of a run's lease, if the owner still holds it. */
  async releaseLease(tx: EntityManager, runId: string, owner: string): Promise<void> {
    await tx.query('UPDATE bench.runs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2', [runId, owner]);
  }

  /** Lets go of every lease the owner holds. */
  async releaseLeases(tx: EntityManager, owner: string): Promise<void> {
    await tx.query('UPDATE bench.runs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1', [owner]);
  }

  /**
   * Operators, and the agencies the lab granted access that are cleared for the suite: a run's counts say something
   * about the suite and about the lab's unreleased model (as GET …/runs). An agency granted after this event is told
   * by publishLate.
   */
  async publish(tx: EntityManager, definition: EventDefinition<BenchRunV1>, row: RunRow): Promise<void> {
    const granted = await this.grantedAgencies(tx, row.submission_id);
    await this.publishRun(tx, definition, row, Audience.of({ roles: ['operator'] }).or(Audience.clearedAmong(granted, row.classification)));
  }

  /**
   * Tells an agency granted late where a run stands, in an event of its own. The runner does not know the agency's
   * clearance: the event names the level it needs (`org:<agency>+clearance:<level>`) and fan-out tests it.
   */
  async publishLate(tx: EntityManager, row: RunRow, agencyId: string): Promise<void> {
    await this.publishRun(tx, EVENT_OF_STATE[row.state], row, Audience.clearedAmong([agencyId], row.classification));
  }

  private async publishRun(tx: EntityManager, definition: EventDefinition<BenchRunV1>, row: RunRow, audience: Audience): Promise<void> {
    await this.outbox.record(tx, definition, {
      subject: row.id,
      audience,
      data: {
        runId: row.id,
        submissionId: row.submission_id,
        suite: suiteRef(row),
        ...runStanding(row),
        ...(row.abort_reason ? { abortReason: row.abort_reason } : {}),
        at: this.clock.now().toISOString(),
      },
    });
  }

  /**
   * One submission's decision, grants and run events, one transaction at a time: an event's audience and a new grant
   * are then ordered, so each granted agency hears of each run and decision once, from whichever comes second. A
   * transaction takes it after its updates of run rows and updates none after it (new rows only), so it cannot close
   * a cycle with the executor's writes. It is held to the end of the transaction; taking it again is harmless.
   */
  async lock(tx: EntityManager, submissionId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bench-decide:${submissionId}`]);
  }

  /** The agencies granted access to the submission, read under the submission's lock (see lock). */
  async grantedAgencies(tx: EntityManager, submissionId: string): Promise<string[]> {
    await this.lock(tx, submissionId);
    const rows: { agency_id: string }[] = await tx.query('SELECT agency_id FROM bench.grants WHERE submission_id = $1 ORDER BY agency_id', [submissionId]);
    return rows.map((r) => r.agency_id);
  }

  async hasGrant(tx: EntityManager, submissionId: string, agencyId: string | undefined): Promise<boolean> {
    const [grant] = await tx.query('SELECT 1 FROM bench.grants WHERE submission_id = $1 AND agency_id = $2', [submissionId, agencyId]);
    return !!grant;
  }

  /** Records a grant; false if it was known already (a redelivery). The caller holds the submission's lock. */
  async addGrant(tx: EntityManager, submissionId: string, agencyId: string): Promise<boolean> {
    const added: unknown[] = await tx.query(
      'INSERT INTO bench.grants (submission_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING agency_id', [submissionId, agencyId],
    );
    return added.length > 0;
  }

  /** Records the decision; false if the submission was decided already (a redelivery, a race). */
  async recordDecision(tx: EntityManager, d: RecordedDecision): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO bench.classifications (submission_id, frontier, basis, policy_version, suites, decided_at, compute_basis, compute)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
      [d.submissionId, d.frontier, JSON.stringify(d.basis), d.policyVersion, JSON.stringify(d.suites), d.decidedAt,
        JSON.stringify(d.computeBasis), JSON.stringify(d.compute)],
    );
    return inserted.length > 0;
  }

  async decision(tx: EntityManager, submissionId: string): Promise<RecordedDecision | undefined> {
    const [row] = await tx.query('SELECT * FROM bench.classifications WHERE submission_id = $1', [submissionId]);
    if (!row) return undefined;
    return {
      submissionId, frontier: row.frontier, policyVersion: row.policy_version, basis: row.basis, computeBasis: row.compute_basis, suites: row.suites,
      ...(row.compute ? { compute: row.compute } : {}), decidedAt: row.decided_at,
    };
  }

  /**
   * The decision in two parts: what needs no clearance to everyone `told` (the lab and the granted agencies), and,
   * for each classification with suites, those suites and their lines to the `granted` agencies cleared for it.
   * Operators get both when `operators` is set (not on a late grant's copies: they had them).
   */
  async publishDecision(tx: EntityManager, d: RecordedDecision, to: { told: string[]; granted: string[]; operators?: boolean }): Promise<void> {
    const operators = Audience.of({ roles: to.operators ? ['operator'] : [] });
    const { suites: _none, decidedAt, ...unclassified } = unclassifiedPart(d);
    await this.outbox.record(tx, BenchModelClassified, {
      subject: d.submissionId,
      audience: operators.or(Audience.of({ orgs: to.told })),
      data: { submissionId: d.submissionId, ...unclassified, decidedAt },
    });
    for (const { classification, suites } of evidenceByClassification(d)) {
      const audience = operators.or(Audience.clearedAmong(to.granted, classification));
      if (!audience.terms.length) continue;
      await this.outbox.record(tx, BenchModelEvidenceRecorded, {
        subject: d.submissionId,
        audience,
        data: {
          submissionId: d.submissionId, classification, policyVersion: d.policyVersion, decidedAt,
          suites: suites.map(({ classification: _level, ...evidence }) => evidence),
        },
      });
    }
  }
}

/** TypeORM answers an UPDATE … RETURNING on Postgres with `[rows, affected]`, other statements with rows. */
export function returned<T>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}
