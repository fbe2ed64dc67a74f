import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A partner system (university, company, testing centre, hospital) using the client-credentials grant. */
@Entity('partner_clients')
export class PartnerClientEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { name: 'client_id', length: 64, unique: true })
  clientId!: string;

  /** The organisation the client belongs to. */
  @Column('varchar', { length: 120 })
  name!: string;

  /** Who at the organisation answers for the client (a name and an address). */
  @Column('varchar', { length: 200 })
  contact!: string;

  /** What the client uses the data for, as registered. */
  @Column('varchar', { length: 500 })
  purpose!: string;

  /** Hashed like a password: a leaked table gives no usable secret. */
  @Column('varchar', { name: 'secret_hash', length: 255 })
  secretHash!: string;

  /** The secret before the last rotation, accepted until `previousSecretValidUntil`. */
  @Column('varchar', { name: 'previous_secret_hash', length: 255, nullable: true })
  previousSecretHash!: string | null;

  @Column('timestamptz', { name: 'previous_secret_valid_until', nullable: true })
  previousSecretValidUntil!: Date | null;

  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true })
  secretRotatedAt!: Date | null;

  /** The most a client may hold on the platform; each province grants its own part of them for its data. */
  @Column('text', { array: true })
  scopes!: string[];

  /** Where a person's approval may send the one-time code when the client acts for them (exact match). */
  @Column('text', { name: 'redirect_uris', array: true, default: () => "'{}'" })
  redirectUris!: string[];

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'suspended_at', nullable: true })
  suspendedAt!: Date | null;

  @Column('varchar', { name: 'suspension_reason', length: 500, nullable: true })
  suspensionReason!: string | null;

  @Column('integer', { name: 'requests_per_minute' })
  requestsPerMinute!: number;

  @Column('integer', { name: 'requests_per_day' })
  requestsPerDay!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
