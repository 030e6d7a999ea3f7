import { Module } from '@nestjs/common';
import { CaseDeadlinesHandlers } from './case-deadlines.handlers';
import { CasesHandlers } from './cases.handlers';
import { CreateVendorUseCase } from './create-vendor.use-case';
import { ExportAdvisoryUseCase } from './export-advisory.use-case';
import { MergeSplitUseCase } from './merge-split.use-case';
import { SubmitFindingUseCase } from './submit-finding.use-case';
import { TransitionCaseUseCase } from './transition-case.use-case';
import { VendorStatusUseCase } from './vendor-status.use-case';

@Module({
  providers: [
    SubmitFindingUseCase, TransitionCaseUseCase, CreateVendorUseCase, ExportAdvisoryUseCase, MergeSplitUseCase, VendorStatusUseCase,
    CasesHandlers, CaseDeadlinesHandlers,
  ],
})
export class CasesModule {}
