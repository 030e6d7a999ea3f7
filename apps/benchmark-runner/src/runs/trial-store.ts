// A run's trials (bench.run_items): each item asked in each epoch, recorded `asked` before its call and its
// outcome after, with the run's counters kept in step. Plain SQL on the manager or transaction it is given.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returned } from './run-store';

export type Outcome = 'correct' | 'wrong' | 'errored';

export interface Trial {
  index: number;
  epoch: number;
}

/** A trial as the checkpoint writes it: reserved (`asked`), or with its outcome. */
export type TrialRecord = Trial & { outcome: Outcome | 'asked'; attempts: number };

// Reservations are inserted, outcomes replace reservations (never an earlier outcome), and the run's counters
// grow by exactly the outcomes that landed; the lease is renewed on the way.
const CHECKPOINT_SQL = `
  WITH landed AS (
    INSERT INTO bench.run_items (run_id, item_index, epoch, outcome, attempts)
    SELECT $1, t.item_index, t.epoch, t.outcome, t.attempts FROM unnest($2::int[], $3::int[], $4::text[], $5::int[]) AS t(item_index, epoch, outcome, attempts)
    ON CONFLICT (run_id, item_index, epoch) DO UPDATE SET outcome = EXCLUDED.outcome, attempts = EXCLUDED.attempts
      WHERE bench.run_items.outcome = 'asked' AND EXCLUDED.outcome <> 'asked'
    RETURNING outcome
  ), counted AS (
    SELECT count(*) FILTER (WHERE outcome = 'correct') AS correct, count(*) FILTER (WHERE outcome = 'wrong') AS wrong,
           count(*) FILTER (WHERE outcome = 'errored') AS errored
    FROM landed
  )
  UPDATE bench.runs r SET correct = r.correct + c.correct, wrong = r.wrong + c.wrong, errored = r.errored + c.errored,
    lease_until = now() + ($6 || ' milliseconds')::interval
  FROM counted c
  WHERE r.id = $1 AND r.state = 'running'
  RETURNING r.id`;

@Injectable()
export class TrialStore {
  /**
   * Writes a group of reservations and outcomes in one statement and renews the run's lease; true if the run is
   * still running (its counters moved).
   */
  async checkpoint(tx: EntityManager, runId: string, rows: TrialRecord[], leaseMs: number): Promise<boolean> {
    const [running] = returned<{ id: string }>(await tx.query(CHECKPOINT_SQL, [
      runId, rows.map((e) => e.index), rows.map((e) => e.epoch), rows.map((e) => e.outcome), rows.map((e) => e.attempts), String(leaseMs),
    ]));
    return !!running;
  }

  /** Deletes reservations of trials that were never asked, so that the next start asks them. */
  async release(tx: EntityManager, runId: string, trials: Trial[]): Promise<void> {
    await tx.query(
      `DELETE FROM bench.run_items i USING unnest($2::int[], $3::int[]) AS r(item_index, epoch)
       WHERE i.run_id = $1 AND i.item_index = r.item_index AND i.epoch = r.epoch AND i.outcome = 'asked'`,
      [runId, trials.map((e) => e.index), trials.map((e) => e.epoch)],
    );
  }

  /**
   * Trials a stopped runner had out (recorded `asked`, no outcome) may have been answered: they are not asked
   * again but recorded errored, and counted as interrupted so that the loss is visible.
   */
  async interruptAsked(tx: EntityManager, runId: string): Promise<void> {
    await tx.query(
      `WITH x AS (UPDATE bench.run_items SET outcome = 'errored', interrupted = true WHERE run_id = $1 AND outcome = 'asked' RETURNING 1)
       UPDATE bench.runs SET errored = errored + (SELECT count(*) FROM x), interrupted = interrupted + (SELECT count(*) FROM x)
       WHERE id = $1 AND state = 'running'`,
      [runId],
    );
  }

  /** Every trial of the run with a row (answered, or asked and interrupted). */
  async recorded(tx: EntityManager, runId: string): Promise<Trial[]> {
    const rows: { item_index: number; epoch: number }[] = await tx.query('SELECT item_index, epoch FROM bench.run_items WHERE run_id = $1', [runId]);
    return rows.map((r) => ({ index: r.item_index, epoch: r.epoch }));
  }

  /** Correct answers and answers (correct or wrong) over all the run's trials. */
  async tally(tx: EntityManager, runId: string): Promise<{ correct: number; n: number }> {
    const [c] = await tx.query(
      `SELECT count(*) FILTER (WHERE outcome = 'correct')::int AS correct, count(*) FILTER (WHERE outcome IN ('correct', 'wrong'))::int AS n
       FROM bench.run_items WHERE run_id = $1`, [runId],
    );
    return { correct: c.correct, n: c.n };
  }

  /** Per item with an answer, the share of its answered epochs that were correct. */
  async itemMeans(tx: EntityManager, runId: string): Promise<number[]> {
    const perItem: { mean: number }[] = await tx.query(
      `SELECT avg(CASE WHEN outcome = 'correct' THEN 1.0 ELSE 0.0 END)::float8 AS mean
       FROM bench.run_items WHERE run_id = $1 AND outcome IN ('correct', 'wrong') GROUP BY item_index`, [runId],
    );
    return perItem.map((r) => r.mean);
  }
}
