// Keeps the read model's window of a submission as the scheduler reports it. A window that closes takes every
// grant on it, and this replica's streams to it end at once (the others end theirs when they next check).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { AccessStore, WindowState } from './access-store';
import { ActiveStreams } from './active-streams';

/** A window event can come before the scheduled one is recorded (another replica has it): the event is retried. */
export class WindowNotYetKnownError extends Error {
  constructor(submissionId: string) {
    super(`window ${submissionId} is not in the read model yet`);
  }
}

export type TrackWindowCommand = { submissionId: string; at: string } & (
  | { change: 'scheduled'; agencies: string[] | null; closesAt: string }
  | { change: 'rescheduled'; closesAt: string }
  | { change: Exclude<WindowState, 'scheduled'> }
);

@Injectable()
export class TrackWindowUseCase implements UseCase<TrackWindowCommand> {
  constructor(
    private readonly access: AccessStore,
    private readonly streams: ActiveStreams,
  ) {}

  async execute(command: TrackWindowCommand, tx: EntityManager): Promise<void> {
    const { submissionId, at } = command;
    switch (command.change) {
      case 'scheduled':
        await this.access.recordScheduled(tx, { submissionId, agencies: command.agencies, closesAt: command.closesAt, at });
        return;
      case 'rescheduled':
        await this.access.recordClosesAt(tx, submissionId, command.closesAt, at);
        return;
      default:
        if (!(await this.access.recordWindowState(tx, submissionId, command.change, at))) throw new WindowNotYetKnownError(submissionId);
        if (command.change === 'closed') {
          await this.access.revokeGrants(tx, submissionId, at);
          this.streams.cut(submissionId);
        }
    }
  }
}
