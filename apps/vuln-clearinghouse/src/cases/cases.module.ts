import { Module } from '@nestjs/common';
import { AnnounceDeadlineUseCase } from './announce-deadline.use-case';
import { CaseDeadlinesHandlers } from './case-deadlines.handlers';
import { CaseStore } from './case-store';
import { CasesHandlers } from './cases.handlers';
import { CreateVendorUseCase } from './create-vendor.use-case';
import { ExportAdvisoryUseCase } from './export-advisory.use-case';
import { ExtendEmbargoUseCase } from './extend-embargo.use-case';
import { FindingStore } from './finding-store';
import { GetCaseUseCase } from './get-case.use-case';
import { GrantCaseAccessUseCase } from './grant-case-access.use-case';
import { ListCasesUseCase } from './list-cases.use-case';
import { MergeCasesUseCase } from './merge-cases.use-case';
import { SetVendorStatusUseCase } from './set-vendor-status.use-case';
import { SplitCaseUseCase } from './split-case.use-case';
import { SubmitFindingUseCase } from './submit-finding.use-case';
import { TransitionCaseUseCase } from './transition-case.use-case';
import { VendorStore } from './vendor-store';

@Module({
  providers: [
    CaseStore, FindingStore, VendorStore,
    SubmitFindingUseCase, GetCaseUseCase, ListCasesUseCase, TransitionCaseUseCase, ExtendEmbargoUseCase, GrantCaseAccessUseCase, MergeCasesUseCase,
    SplitCaseUseCase, SetVendorStatusUseCase, CreateVendorUseCase, ExportAdvisoryUseCase, AnnounceDeadlineUseCase,
    CasesHandlers, CaseDeadlinesHandlers,
  ],
})
export class CasesModule {}
