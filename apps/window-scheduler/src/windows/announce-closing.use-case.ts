// A window's closing-soon timer fired: everyone who sees the window is told it closes soon.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { UseCase } from '@vantage/runtime';
import { closingSoon } from './access-window';
import { WindowStore } from './window-store';

export interface AnnounceClosingCommand {
  submissionId: string;
}

@Injectable()
export class AnnounceClosingUseCase implements UseCase<AnnounceClosingCommand> {
  constructor(
    private readonly windows: WindowStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: AnnounceClosingCommand, tx: EntityManager): Promise<void> {
    const loaded = await this.windows.load(tx, command.submissionId);
    if (loaded) await this.windows.save(tx, loaded.row, closingSoon(loaded.window), this.clock.now());
  }
}
