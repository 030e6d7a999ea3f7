import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reading one case's history (every case view) without scanning the history of every case, and
 * for the reverse related links a merge rewrites (`case_related` is keyed by case_id first).
 */
export class CaseLookups1764300000000 implements MigrationInterface {
  name = 'CaseLookups1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX case_history_case ON vuln.case_history (case_id, id)');
    await q.query('CREATE INDEX case_related_related ON vuln.case_related (related_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX vuln.case_related_related');
    await q.query('DROP INDEX vuln.case_history_case');
  }
}
