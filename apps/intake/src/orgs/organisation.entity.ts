import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Clearance, OrgKind } from '@vantage/contracts';

@Entity({ name: 'organisations' })
export class Organisation {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: OrgKind;

  /** Agencies only. */
  @Column('text', { nullable: true })
  clearance: Clearance | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
