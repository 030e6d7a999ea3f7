import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision keeps its compute line and each suite's classification and line apart, so that each reader is shown
 * only what its clearance covers. Decisions made before are filled in from their lines: a suite's line is the one that
 * names it (`suite <name>@<version>: …`); a suite no longer known counts as top-secret.
 */
export class DecisionDetail1764800000000 implements MigrationInterface {
  name = 'DecisionDetail1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bench.classifications ADD COLUMN compute_basis jsonb NOT NULL DEFAULT '[]', ADD COLUMN compute jsonb`);
    await q.query(`
      UPDATE bench.classifications c SET
        compute_basis = COALESCE((SELECT jsonb_agg(line ORDER BY n) FROM jsonb_array_elements_text(c.basis) WITH ORDINALITY b(line, n)
                                  WHERE starts_with(line, 'compute: ')), '[]'),
        suites = COALESCE((
          SELECT jsonb_agg(
                   s.elem || jsonb_build_object('classification', COALESCE(su.classification, 'top-secret'))
                          || COALESCE((SELECT jsonb_build_object('basis', b.line) FROM jsonb_array_elements_text(c.basis) b(line)
                                       WHERE starts_with(b.line, 'suite ' || (s.elem->>'name') || '@' || (s.elem->>'version') || ': ') LIMIT 1), '{}')
                   ORDER BY s.n)
          FROM jsonb_array_elements(c.suites) WITH ORDINALITY s(elem, n)
          LEFT JOIN bench.suites su ON su.id::text = s.elem->>'suiteId'), '[]')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE bench.classifications c SET suites = COALESCE((
      SELECT jsonb_agg(s.elem - 'classification' - 'basis' ORDER BY s.n) FROM jsonb_array_elements(c.suites) WITH ORDINALITY s(elem, n)), '[]')`);
    await q.query('ALTER TABLE bench.classifications DROP COLUMN compute_basis, DROP COLUMN compute');
  }
}
