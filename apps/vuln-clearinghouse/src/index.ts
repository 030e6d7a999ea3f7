// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { VULN_CLEARINGHOUSE } from './main';
export { AppModule } from './app.module';
export { VulnClearinghouseConfig, loadVulnClearinghouseConfig } from './config';
// The ingestion use case, for the dedupe benchmark to drive exactly as the request-reply handler does.
export { SubmitFindingUseCase } from './cases/submit-finding.use-case';
