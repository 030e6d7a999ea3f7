// Whether an agency's access to a model still holds: asked every few hundred ms by each stream in flight, so that
// access follows the read model whichever replica heard the event that ended it.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { AccessStore } from './access-store';
import { judgeAccess } from './brokered-access';

export interface CheckAccessCommand {
  submissionId: string;
  agencyId: string;
}

@Injectable()
export class CheckAccessUseCase implements UseCase<CheckAccessCommand, boolean> {
  constructor(private readonly access: AccessStore) {}

  async execute(command: CheckAccessCommand, tx: EntityManager): Promise<boolean> {
    return judgeAccess(await this.access.standing(tx, command.submissionId, command.agencyId), command.agencyId) === 'open';
  }
}
