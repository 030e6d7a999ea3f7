// The runner's own copy of the submissions it benchmarks: the owner and the declared compute a decision needs.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface SubmissionFacts {
  submissionId: string;
  labId: string;
  declaredTrainingFlop?: number | null;
}

export interface KnownSubmission {
  labId: string;
  declaredTrainingFlop: number | null;
}

@Injectable()
export class SubmissionStore {
  /** Keeps the facts once: the first copy (intake's event, or intake's answer when the window came first) stays. */
  async record(tx: EntityManager, facts: SubmissionFacts, receivedAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO bench.submissions (submission_id, lab_id, declared_training_flop, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [facts.submissionId, facts.labId, facts.declaredTrainingFlop ?? null, receivedAt],
    );
  }

  async isKnown(tx: EntityManager, submissionId: string): Promise<boolean> {
    const [known] = await tx.query('SELECT 1 FROM bench.submissions WHERE submission_id = $1', [submissionId]);
    return !!known;
  }

  async load(tx: EntityManager, submissionId: string): Promise<KnownSubmission | undefined> {
    const [row] = await tx.query('SELECT lab_id, declared_training_flop FROM bench.submissions WHERE submission_id = $1', [submissionId]);
    return row && { labId: row.lab_id, declaredTrainingFlop: row.declared_training_flop };
  }
}
