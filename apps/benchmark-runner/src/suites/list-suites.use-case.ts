// The programme's suites, as far as the caller may read them (see decision-visibility.ts), newest first.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, Clearance, SuiteView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayReadSuite } from '../runs/decision-visibility';
import { suiteView } from './suite';
import { SuiteStore } from './suite-store';

export interface ListSuitesCommand {
  caller: CallerIdentity;
  /** Only the suites of this classification. */
  classification?: Clearance;
}

@Injectable()
export class ListSuitesUseCase implements UseCase<ListSuitesCommand, { items: SuiteView[] }> {
  constructor(private readonly suites: SuiteStore) {}

  async execute({ caller, classification }: ListSuitesCommand, tx: EntityManager): Promise<{ items: SuiteView[] }> {
    const rows = await this.suites.list(tx);
    return {
      items: rows.filter((r) => mayReadSuite(caller, r.classification) && (!classification || r.classification === classification)).map(suiteView),
    };
  }
}
