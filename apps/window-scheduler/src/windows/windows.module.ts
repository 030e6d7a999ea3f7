import { Module } from '@nestjs/common';
import { RecordSubmissionUseCase } from '../submissions/record-submission.use-case';
import { ChangeWindowUseCase } from './change-window.use-case';
import { ScheduleWindowUseCase } from './schedule-window.use-case';
import { WindowQueriesHandlers } from './window-queries.handlers';
import { WindowStore } from './window-store';
import { WindowTimersHandlers } from './window-timers.handlers';
import { WindowsHandlers } from './windows.handlers';

@Module({
  providers: [
    WindowStore, RecordSubmissionUseCase, ScheduleWindowUseCase, ChangeWindowUseCase,
    WindowsHandlers, WindowTimersHandlers, WindowQueriesHandlers,
  ],
})
export class WindowsModule {}
