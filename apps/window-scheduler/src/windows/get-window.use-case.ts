// One window, as its reader may see it; a window the reader may not see is not found.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError, WindowView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayRead, visibleGrants, windowView } from './window-view';
import { WindowStore } from './window-store';

export interface GetWindowCommand {
  caller: CallerIdentity;
  submissionId: string;
}

@Injectable()
export class GetWindowUseCase implements UseCase<GetWindowCommand, WindowView> {
  constructor(private readonly windows: WindowStore) {}

  async execute(command: GetWindowCommand, m: EntityManager): Promise<WindowView> {
    const found = await this.windows.find(m, command.submissionId);
    if (!found || !mayRead(command.caller, found.row, found.grants)) throw new NotFoundError('window');
    return windowView(found.row, visibleGrants(command.caller, found.grants));
  }
}
