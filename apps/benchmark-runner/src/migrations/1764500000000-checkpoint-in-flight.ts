import { MigrationInterface, QueryRunner } from 'typeorm';

// A trial is recorded `asked` before its call starts, so that a runner killed while the call was out does not
// ask it again after a restart: the restart records it `errored` and counts it as interrupted instead.
export class CheckpointInFlight1764500000000 implements MigrationInterface {
  name = 'CheckpointInFlight1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE bench.run_items DROP CONSTRAINT run_items_outcome_check');
    await q.query("ALTER TABLE bench.run_items ADD CONSTRAINT run_items_outcome_check CHECK (outcome IN ('asked', 'correct', 'wrong', 'errored'))");
    await q.query('ALTER TABLE bench.run_items ADD COLUMN interrupted boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE bench.runs ADD COLUMN interrupted int NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE bench.runs DROP COLUMN interrupted');
    await q.query('ALTER TABLE bench.run_items DROP COLUMN interrupted');
    await q.query("DELETE FROM bench.run_items WHERE outcome = 'asked'");
    await q.query('ALTER TABLE bench.run_items DROP CONSTRAINT run_items_outcome_check');
    await q.query("ALTER TABLE bench.run_items ADD CONSTRAINT run_items_outcome_check CHECK (outcome IN ('correct', 'wrong', 'errored'))");
  }
}
