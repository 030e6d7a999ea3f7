// Tenancy for submissions: a lab sees only its own, an operator sees all; anything else is "not found".
import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { Submission } from './submission.entity';

export async function findVisibleSubmission(
  tx: EntityManager,
  id: string,
  caller: CallerIdentity,
  opts: { forUpdate?: boolean } = {},
): Promise<Submission> {
  const query = tx.getRepository(Submission).createQueryBuilder('s').where('s.id = :id', { id });
  if (caller.kind !== 'operator') query.andWhere('s.lab_id = :labId', { labId: caller.orgId });
  if (opts.forUpdate) query.setLock('pessimistic_write');
  const submission = caller.kind === 'operator' || caller.kind === 'lab' ? await query.getOne() : null;
  if (!submission) throw new NotFoundError('submission');
  return submission;
}
