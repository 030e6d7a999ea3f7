// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { INTAKE } from './main';
export { AppModule } from './app.module';
export { IntakeConfig, loadIntakeConfig } from './config';
export { ReceiveSubmissionUseCase } from './submissions/receive-submission.use-case';
export { CreateOrganisationUseCase } from './orgs/create-organisation.use-case';
export { IssueApiKeyUseCase } from './orgs/issue-api-key.use-case';
export { Forwarder } from './http/forwarder';
