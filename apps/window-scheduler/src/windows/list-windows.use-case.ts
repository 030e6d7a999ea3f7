// The windows a reader may see, soonest opening first.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, ListWindowsRequest, WindowView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { listScope, visibleGrants, windowView } from './window-view';
import { WindowStore } from './window-store';

/** At most this many windows in one answer. */
export const LIST_WINDOWS_LIMIT = 500;

export type ListWindowsCommand = ListWindowsRequest & { caller: CallerIdentity };

@Injectable()
export class ListWindowsUseCase implements UseCase<ListWindowsCommand, { items: WindowView[] }> {
  constructor(private readonly windows: WindowStore) {}

  async execute(command: ListWindowsCommand, m: EntityManager): Promise<{ items: WindowView[] }> {
    const scope = listScope(command.caller);
    if (!scope) return { items: [] };
    const found = await this.windows.list(m, scope, command.state, LIST_WINDOWS_LIMIT);
    return { items: found.map(({ row, grants }) => windowView(row, visibleGrants(command.caller, grants))) };
  }
}
