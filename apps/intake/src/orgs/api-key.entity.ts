import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API key as stored: its id and a hash. The key itself was shown once and is not kept. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn('text')
  id: string;

  @Column('uuid', { name: 'org_id' })
  orgId: string;

  @Column('text', { name: 'key_hash' })
  keyHash: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
