// A case, to those with need-to-know; to everyone once disclosed. Anyone else is told it does not exist.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, CaseIdRequest, CaseView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayRead } from './case-access';
import { CaseStore } from './case-store';

export type GetCaseCommand = CaseIdRequest & { caller: CallerIdentity };

@Injectable()
export class GetCaseUseCase implements UseCase<GetCaseCommand, CaseView> {
  constructor(private readonly cases: CaseStore) {}

  async execute({ caseId, caller }: GetCaseCommand, tx: EntityManager): Promise<CaseView> {
    mayRead(await this.cases.access(tx, caseId, caller.orgId), caller);
    return this.cases.view(tx, caseId);
  }
}
