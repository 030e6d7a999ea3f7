import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events kept for replay and for resuming live streams, stamped before the benchmark runner narrowed its audiences:
 * bench.model.classified v1 (every suite, to the lab and every granted agency) and run events to every cleared agency,
 * granted or not. A replay or a Last-Event-ID must not deliver them again to those: they are narrowed to operators.
 * Only narrowed, never widened; a run event stamped since (`org:<id>+clearance:<level>`) has no bare clearance term.
 */
export class NarrowLeakyAudiences1764800000000 implements MigrationInterface {
  name = 'NarrowLeakyAudiences1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE notify.events SET audience = 'role:operator'
       WHERE type = 'gov.vantage.bench.model.classified.v1'
          OR (type LIKE 'gov.vantage.bench.run.%' AND audience ~ '(^| )clearance:')`,
    );
  }

  async down(): Promise<void> {
    // The audiences they had are not kept: widening them again is exactly what this refuses.
  }
}
