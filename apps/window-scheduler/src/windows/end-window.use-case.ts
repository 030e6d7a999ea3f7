// A window ends: at once when the lab withdraws or releases, or when its close timer fires (`scheduled-end`).
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { ClosedReason } from '@vantage/contracts';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { WindowSchedulerConfig } from '../config';
import { end } from './access-window';
import { windowPolicy } from './window-policy';
import { WindowStore } from './window-store';

export interface EndWindowCommand {
  submissionId: string;
  reason: ClosedReason;
  /** When it ends: the close timer's due time; now for a lab's move. */
  at?: Date;
}

@Injectable()
export class EndWindowUseCase implements UseCase<EndWindowCommand> {
  constructor(
    private readonly windows: WindowStore,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: WindowSchedulerConfig,
  ) {}

  /** A lab's move needs its window (retried until the submission's event has made it); a timer's window may be gone. */
  async execute(command: EndWindowCommand, tx: EntityManager): Promise<void> {
    const loaded = command.at ? await this.windows.load(tx, command.submissionId) : await this.windows.require(tx, command.submissionId);
    if (!loaded) return;
    const now = this.clock.now();
    await this.windows.save(tx, loaded.row, end(loaded.window, command.at ?? now, command.reason, windowPolicy(this.config)), now);
  }
}
