// Records an agency's grant on a submission. The scheduler issues a window's grants just after it says the window
// opened, and replicas handle events side by side, so runs may have started (or even finished, and the model been
// decided) before their grant is known here: the agency is then told where each run stands and the decision as its
// audience would have had it, in events of its own. An agency that held a grant keeps hearing of the submission's
// runs after the window closes, as it may still read them (GET …/runs).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { RunStore } from './run-store';

export interface RecordGrantCommand {
  submissionId: string;
  agencyId: string;
}

@Injectable()
export class RecordGrantUseCase implements UseCase<RecordGrantCommand> {
  constructor(private readonly runs: RunStore) {}

  async execute({ submissionId, agencyId }: RecordGrantCommand, tx: EntityManager): Promise<void> {
    // Under the submission's lock: an event's audience and a new grant are ordered (see RunStore.lock).
    await this.runs.lock(tx, submissionId);
    if (!(await this.runs.addGrant(tx, submissionId, agencyId))) return;
    for (const row of await this.runs.runsOf(tx, submissionId)) await this.runs.publishLate(tx, row, agencyId);
    const decision = await this.runs.decision(tx, submissionId);
    if (decision) await this.runs.publishDecision(tx, decision, { told: [agencyId], granted: [agencyId] });
  }
}
