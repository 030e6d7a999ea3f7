import { Module } from '@nestjs/common';
import { SubmissionStore } from '../submissions/submission-store';
import { AgencyStore } from './agency-store';
import { AnnounceClosingUseCase } from './announce-closing.use-case';
import { EndWindowUseCase } from './end-window.use-case';
import { GetWindowUseCase } from './get-window.use-case';
import { ListWindowsUseCase } from './list-windows.use-case';
import { OpenWindowUseCase } from './open-window.use-case';
import { RecordAgencyUseCase } from './record-agency.use-case';
import { RescheduleWindowUseCase } from './reschedule-window.use-case';
import { ScheduleWindowUseCase } from './schedule-window.use-case';
import { WindowQueriesHandlers } from './window-queries.handlers';
import { WindowStore } from './window-store';
import { WindowTimersHandlers } from './window-timers.handlers';
import { WindowsHandlers } from './windows.handlers';

@Module({
  providers: [
    WindowStore, SubmissionStore, AgencyStore,
    ScheduleWindowUseCase, RescheduleWindowUseCase, EndWindowUseCase, OpenWindowUseCase, AnnounceClosingUseCase, RecordAgencyUseCase,
    GetWindowUseCase, ListWindowsUseCase,
    WindowsHandlers, WindowTimersHandlers, WindowQueriesHandlers,
  ],
})
export class WindowsModule {}
