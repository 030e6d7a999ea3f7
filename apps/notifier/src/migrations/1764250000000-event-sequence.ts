import { MigrationInterface, QueryRunner } from 'typeorm';

export class EventSequence1764250000000 implements MigrationInterface {
  name = 'EventSequence1764250000000';

  async up(q: QueryRunner): Promise<void> {
    // The live stream's cursor (`id:` / `Last-Event-ID`). Fan-out assigns it under a lock held to commit, so a
    // reader that has seen sequence S has already seen every event with a lower one: resuming after S leaves no gap.
    await q.query('ALTER TABLE notify.events ADD COLUMN seq bigserial');
    await q.query('CREATE UNIQUE INDEX events_seq ON notify.events (seq)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX notify.events_seq');
    await q.query('ALTER TABLE notify.events DROP COLUMN seq');
  }
}
