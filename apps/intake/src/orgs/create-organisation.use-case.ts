import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { Audience, Clearance, OrganisationCreated, OrgKind, RuleViolationError } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { Organisation } from './organisation.entity';

export interface CreateOrganisationCommand {
  name: string;
  kind: OrgKind;
  clearance?: Clearance;
}

@Injectable()
export class CreateOrganisationUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
  ) {}

  /** In `tx` when given (an Idempotency-Key's claim shares it), else in a transaction of its own. */
  async execute(command: CreateOrganisationCommand, tx?: EntityManager): Promise<Organisation> {
    if (command.kind === 'agency' && !command.clearance) {
      throw new RuleViolationError('clearance_required', 'an agency needs a clearance', [{ field: 'clearance', message: 'is required for an agency' }]);
    }
    if (command.kind !== 'agency' && command.clearance) {
      throw new RuleViolationError('clearance_not_applicable', 'only agencies carry a clearance', [
        { field: 'clearance', message: `does not apply to a ${command.kind}` },
      ]);
    }
    return tx ? this.create(command, tx) : this.dataSource.transaction((t) => this.create(command, t));
  }

  private async create(command: CreateOrganisationCommand, tx: EntityManager): Promise<Organisation> {
    const now = this.clock.now();
    const org = await tx.getRepository(Organisation).save({
      id: uuidv7({ msecs: now.getTime() }),
      name: command.name,
      kind: command.kind,
      clearance: command.clearance ?? null,
      createdAt: now,
    });
    // Other services keep their own list of organisations (kinds, clearances) from this event.
    await this.outbox.record(tx, OrganisationCreated, {
      subject: org.id,
      audience: Audience.operatorsAnd([org.id]),
      data: { orgId: org.id, name: org.name, kind: org.kind, ...(org.clearance ? { clearance: org.clearance } : {}), createdAt: now.toISOString() },
    });
    return org;
  }
}

export function organisationView(org: Organisation) {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    ...(org.clearance ? { clearance: org.clearance } : {}),
    createdAt: org.createdAt.toISOString(),
  };
}
