// Tells another service who owns a submission and what compute it declared, over request-reply: the benchmark
// runner asks when a window opens, because window.opened may reach it before submission.received (another
// stream, no order between them). No credential is in the answer.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetSubmissionEndpointRequest, GetSubmissionFacts, NotFoundError, SubmissionFacts } from '@vantage/contracts';
import { OnRequest } from '@vantage/messaging';
import { Submission } from './submission.entity';

@Injectable()
export class SubmissionFactsHandlers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @OnRequest(GetSubmissionFacts)
  async getFacts(request: GetSubmissionEndpointRequest): Promise<SubmissionFacts> {
    const s = await this.dataSource.getRepository(Submission).findOne({
      where: { id: request.submissionId },
      select: { id: true, labId: true, declaredTrainingFlop: true, status: true },
    });
    if (!s) throw new NotFoundError('submission');
    return {
      submissionId: s.id,
      labId: s.labId,
      ...(s.declaredTrainingFlop === null ? {} : { declaredTrainingFlop: s.declaredTrainingFlop }),
      status: s.status,
    };
  }
}
