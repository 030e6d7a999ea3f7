import { Module } from '@nestjs/common';
import { RecordSubmissionUseCase } from '../submissions/record-submission.use-case';
import { SubmissionStore } from '../submissions/submission-store';
import { AppendSuiteItemsUseCase } from '../suites/append-suite-items.use-case';
import { DiscardSuiteUploadUseCase } from '../suites/discard-suite-upload.use-case';
import { ListSuitesUseCase } from '../suites/list-suites.use-case';
import { SealSuiteUploadUseCase } from '../suites/seal-suite-upload.use-case';
import { StartSuiteUploadUseCase } from '../suites/start-suite-upload.use-case';
import { SuiteStore } from '../suites/suite-store';
import { AbortRunsUseCase } from './abort-runs.use-case';
import { BenchEventsHandlers } from './bench-events.handlers';
import { BenchQueriesHandlers } from './bench-queries.handlers';
import { CompleteRunUseCase } from './complete-run.use-case';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { GetClassificationUseCase } from './get-classification.use-case';
import { ListRunsUseCase } from './list-runs.use-case';
import { RecordGrantUseCase } from './record-grant.use-case';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';
import { StartRunsUseCase } from './start-runs.use-case';
import { TrialStore } from './trial-store';

@Module({
  providers: [
    SuiteStore, SubmissionStore, RunStore, TrialStore, RunExecutor,
    RecordSubmissionUseCase, RecordGrantUseCase, StartRunsUseCase, AbortRunsUseCase, CompleteRunUseCase, DecideClassificationUseCase,
    ListRunsUseCase, GetClassificationUseCase,
    StartSuiteUploadUseCase, AppendSuiteItemsUseCase, SealSuiteUploadUseCase, DiscardSuiteUploadUseCase, ListSuitesUseCase,
    BenchEventsHandlers, BenchQueriesHandlers,
  ],
})
export class RunsModule {}
