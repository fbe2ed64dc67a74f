import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A person's permission to operate an instrument themselves, issued by this province after training: for one
 * instrument, or for every instrument of a model (then the partner province may recognise it too).
 */
@Entity('qualifications')
export class QualificationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Platform user id of the person qualified. */
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** Set for a qualification on one instrument; null for one on a model. */
  @Column('uuid', { name: 'instrument_id', nullable: true })
  instrumentId!: string | null;

  /** Set for a qualification on every instrument of a model; null for one on one instrument. */
  @Column('varchar', { length: 200, nullable: true })
  model!: string | null;

  @Column('timestamptz', { name: 'issued_at' })
  issuedAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  /** Token subject of the admin who issued it. */
  @Column('varchar', { name: 'issued_by', length: 100 })
  issuedBy!: string;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('varchar', { name: 'revoked_reason', length: 500, nullable: true })
  revokedReason!: string | null;
}
