// Need-to-know: a case is visible to its reporters, the clearinghouse, its matched vendors and the
// organisations an analyst added; to everyone once disclosed. Anyone else is told it does not exist.
import { EntityManager } from 'typeorm';
import { Audience, CallerIdentity, NotFoundError } from '@vantage/contracts';

export async function caseAudience(tx: EntityManager, caseId: string, disclosed = false): Promise<Audience> {
  if (disclosed) return Audience.of({ roles: ['lab', 'agency', 'clearinghouse', 'operator'] });
  const rows: { org_id: string }[] = await tx.query('SELECT org_id FROM case_access WHERE case_id = $1', [caseId]);
  return Audience.of({ orgs: rows.map((r) => r.org_id), roles: ['clearinghouse'] });
}

export async function mayRead(tx: EntityManager, caseId: string, caller: CallerIdentity): Promise<{ state: string }> {
  const [row] = await tx.query(
    `SELECT c.state, EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.org_id = $2) AS listed FROM cases c WHERE c.id = $1`,
    [caseId, caller.orgId],
  );
  if (!row || !(row.state === 'disclosed' || row.listed || caller.kind === 'clearinghouse')) throw new NotFoundError('case');
  return row;
}
