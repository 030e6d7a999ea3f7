// An organisation joined the programme: an agency is recorded, to be granted windows whose lab named no agencies.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrganisationCreatedV1 } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { AgencyStore } from './agency-store';

export interface RecordAgencyCommand {
  organisation: OrganisationCreatedV1;
}

@Injectable()
export class RecordAgencyUseCase implements UseCase<RecordAgencyCommand> {
  constructor(private readonly agencies: AgencyStore) {}

  async execute({ organisation: o }: RecordAgencyCommand, tx: EntityManager): Promise<void> {
    if (o.kind !== 'agency') return;
    await this.agencies.record(tx, { orgId: o.orgId, name: o.name, clearance: o.clearance ?? null, joinedAt: new Date(o.createdAt) });
  }
}
