// An operator adds an organisation (lab, agency, clearinghouse or operator) to the programme.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { Clearance, OrgKind } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { assertClearance } from './organisation';
import { Organisation } from './organisation.entity';
import { OrganisationStore } from './organisation-store';

export interface CreateOrganisationCommand {
  name: string;
  kind: OrgKind;
  clearance?: Clearance;
}

@Injectable()
export class CreateOrganisationUseCase implements UseCase<CreateOrganisationCommand, Organisation> {
  constructor(
    private readonly organisations: OrganisationStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateOrganisationCommand, tx: EntityManager): Promise<Organisation> {
    assertClearance(command);
    const now = this.clock.now();
    const org: Organisation = {
      id: uuidv7({ msecs: now.getTime() }),
      name: command.name,
      kind: command.kind,
      clearance: command.clearance ?? null,
      createdAt: now,
    };
    await this.organisations.insert(tx, org);
    return org;
  }
}
