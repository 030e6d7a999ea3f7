// The scheduler's own copy of a submission, built from `submission.received`: it never reads intake's tables.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'submissions' })
export class ScheduledSubmission {
  @PrimaryColumn('uuid', { name: 'submission_id' })
  submissionId: string;

  @Column('text', { name: 'lab_id' })
  labId: string;

  @Column('timestamptz', { name: 'planned_release_at' })
  plannedReleaseAt: Date;

  @Column('timestamptz', { name: 'earliest_access_at', nullable: true })
  earliestAccessAt: Date | null;

  @Column('jsonb', { nullable: true })
  agencies: string[] | null;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;
}
