// Keeps the read model's grant of an agency as the scheduler reports it; a revoked grant ends this replica's
// streams of that agency to that model at once.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { AccessStore, GrantState } from './access-store';
import { ActiveStreams } from './active-streams';

export interface TrackGrantCommand {
  submissionId: string;
  agencyId: string;
  state: GrantState;
  at: string;
}

@Injectable()
export class TrackGrantUseCase implements UseCase<TrackGrantCommand> {
  constructor(
    private readonly access: AccessStore,
    private readonly streams: ActiveStreams,
  ) {}

  async execute(command: TrackGrantCommand, tx: EntityManager): Promise<void> {
    await this.access.recordGrant(tx, command);
    if (command.state === 'revoked') this.streams.cut(command.submissionId, command.agencyId);
  }
}
