// The programme's agencies as the scheduler knows them (from organisation.created): who a window with no named
// agencies grants access to when it opens.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgencyRow } from './window.entity';

@Injectable()
export class AgencyStore {
  /** Once per agency: a repeat of its organisation.created changes nothing. */
  async record(tx: EntityManager, agency: AgencyRow): Promise<void> {
    await tx.createQueryBuilder().insert().into(AgencyRow).values(agency).orIgnore().execute();
  }

  /** Every agency's id, in the order they joined. */
  async ids(tx: EntityManager): Promise<string[]> {
    return (await tx.getRepository(AgencyRow).find({ order: { joinedAt: 'ASC' } })).map((a) => a.orgId);
  }
}
