// Tells another service who owns a submission and what compute it declared, over request-reply: the benchmark
// runner asks when a window opens, because window.opened may reach it before submission.received (another
// stream, no order between them). No credential is in the answer.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetSubmissionEndpointRequest, GetSubmissionFacts, SubmissionFacts } from '@vantage/contracts';
import { OnRequest } from '@vantage/messaging';
import { GetSubmissionFactsUseCase } from './get-submission-facts.use-case';

@Injectable()
export class SubmissionFactsHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly getSubmissionFacts: GetSubmissionFactsUseCase,
  ) {}

  @OnRequest(GetSubmissionFacts)
  getFacts(request: GetSubmissionEndpointRequest): Promise<SubmissionFacts> {
    return this.getSubmissionFacts.execute({ submissionId: request.submissionId }, this.dataSource.manager);
  }
}
