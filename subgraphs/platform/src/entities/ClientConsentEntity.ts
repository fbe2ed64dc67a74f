import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A person's consent that a partner client acts for them with named scopes. At most one is active per person and
 * client; approving other scopes revokes it and starts a new one, so tokens issued under the old one are refused.
 */
@Entity('client_consents')
export class ClientConsentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('varchar', { name: 'client_id', length: 64 })
  clientId!: string;

  @Column('text', { array: true })
  scopes!: string[];

  @Column('timestamptz', { name: 'granted_at' })
  grantedAt!: Date;

  /** Set once: by the person, or by the platform when a code was replayed. */
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('varchar', { name: 'revoked_reason', length: 200, nullable: true })
  revokedReason!: string | null;

  /** When the client last exchanged a code under it. */
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;
}
