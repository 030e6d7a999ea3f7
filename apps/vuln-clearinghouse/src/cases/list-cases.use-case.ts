// The cases the caller has need-to-know for, and disclosed ones; every case for the clearinghouse.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, CaseView, ListCasesRequest } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { CaseStore } from './case-store';

export type ListCasesCommand = ListCasesRequest & { caller: CallerIdentity };

@Injectable()
export class ListCasesUseCase implements UseCase<ListCasesCommand, { items: CaseView[] }> {
  constructor(private readonly cases: CaseStore) {}

  async execute({ state, caller }: ListCasesCommand, tx: EntityManager): Promise<{ items: CaseView[] }> {
    return { items: await this.cases.visibleTo(tx, caller, state) };
  }
}
