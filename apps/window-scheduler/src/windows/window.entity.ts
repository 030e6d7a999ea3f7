import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ClosedReason } from '@vantage/contracts';
import { WindowState } from './access-window';

@Entity({ name: 'windows' })
export class WindowRow {
  @PrimaryColumn('uuid', { name: 'submission_id' }) submissionId: string;
  @Column('text', { name: 'lab_id' }) labId: string;
  @Column('text') state: WindowState;
  @Column('timestamptz', { name: 'opens_at' }) opensAt: Date;
  @Column('timestamptz', { name: 'closes_at' }) closesAt: Date;
  @Column('timestamptz', { name: 'planned_release_at' }) plannedReleaseAt: Date;
  @Column('timestamptz', { name: 'earliest_access_at', nullable: true }) earliestAccessAt: Date | null;
  /** Consenting agencies; null: every agency in the programme when the window opens. */
  @Column('jsonb', { nullable: true }) agencies: string[] | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('text', { name: 'closed_reason', nullable: true }) closedReason: ClosedReason | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity({ name: 'grants' })
export class GrantRow {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'submission_id' }) submissionId: string;
  @Column('text', { name: 'agency_id' }) agencyId: string;
  @Column('text') state: 'active' | 'revoked';
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason: string | null;
}

@Entity({ name: 'agencies' })
export class AgencyRow {
  @PrimaryColumn('text', { name: 'org_id' }) orgId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) clearance: string | null;
  @Column('timestamptz', { name: 'joined_at' }) joinedAt: Date;
}
