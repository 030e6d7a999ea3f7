import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type SubmissionStatus = 'active' | 'withdrawn' | 'released';

@Entity({ name: 'submissions' })
export class Submission {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'lab_id' })
  labId: string;

  @Column('text', { name: 'model_name' })
  modelName: string;

  @Column('text', { name: 'model_version' })
  modelVersion: string;

  @Column('timestamptz', { name: 'planned_release_at' })
  plannedReleaseAt: Date;

  @Column('timestamptz', { name: 'earliest_access_at', nullable: true })
  earliestAccessAt: Date | null;

  @Column('double precision', { name: 'declared_training_flop', nullable: true })
  declaredTrainingFlop: number | null;

  /** Consenting agencies; null means every agency in the programme. */
  @Column('jsonb', { nullable: true })
  agencies: string[] | null;

  @Column('text')
  status: SubmissionStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
