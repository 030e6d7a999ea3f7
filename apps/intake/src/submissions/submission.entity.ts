import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SubmissionStatus = 'active' | 'withdrawn' | 'released';

@Entity({ name: 'submissions' })
export class Submission {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'lab_id' })
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

  @Column('text', { name: 'endpoint_base_url' })
  endpointBaseUrl: string;

  @Column('text', { name: 'endpoint_model_id' })
  endpointModelId: string;

  /** Sealed (AES-256-GCM) with the submission id as context; see SecretBox. */
  @Column('text', { name: 'endpoint_api_key' })
  endpointApiKeySealed: string;

  @Column('text')
  status: SubmissionStatus;

  @Column('timestamptz', { name: 'released_at', nullable: true })
  releasedAt: Date | null;

  @Column('timestamptz', { name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
