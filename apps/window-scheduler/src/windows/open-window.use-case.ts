// A window's open timer fired: access begins, and each consenting agency (every agency of the programme when the
// lab named none) is granted it.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { UseCase } from '@vantage/runtime';
import { open } from './access-window';
import { AgencyStore } from './agency-store';
import { WindowStore } from './window-store';

export interface OpenWindowCommand {
  submissionId: string;
  /** The timer's due time: when access began. */
  at: Date;
}

@Injectable()
export class OpenWindowUseCase implements UseCase<OpenWindowCommand> {
  constructor(
    private readonly windows: WindowStore,
    private readonly agencies: AgencyStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: OpenWindowCommand, tx: EntityManager): Promise<void> {
    const loaded = await this.windows.load(tx, command.submissionId);
    if (!loaded) return;
    const agencies = loaded.row.agencies ?? (await this.agencies.ids(tx));
    await this.windows.save(tx, loaded.row, open(loaded.window, command.at, agencies), this.clock.now());
  }
}
