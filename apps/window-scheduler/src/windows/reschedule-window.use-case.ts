// The lab moved its release: the window is computed again at once (voluntary: it may, at any moment).
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { WindowSchedulerConfig } from '../config';
import { reschedule } from './access-window';
import { windowPolicy } from './window-policy';
import { WindowStore } from './window-store';

export interface RescheduleWindowCommand {
  submissionId: string;
  plannedReleaseAt: Date;
}

@Injectable()
export class RescheduleWindowUseCase implements UseCase<RescheduleWindowCommand> {
  constructor(
    private readonly windows: WindowStore,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: WindowSchedulerConfig,
  ) {}

  async execute(command: RescheduleWindowCommand, tx: EntityManager): Promise<void> {
    const { row, window } = await this.windows.require(tx, command.submissionId);
    const now = this.clock.now();
    await this.windows.save(tx, row, reschedule(window, command.plannedReleaseAt, now, windowPolicy(this.config)), now);
  }
}
