import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A verification code a holder got for one card: only its hash is kept; `usedAt` is set once, by the check that used it. */
@Entity('card_verification_codes')
export class CardCodeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'card_id' })
  cardId!: string;

  @Column('char', { name: 'code_hash', length: 64 })
  codeHash!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  /** The request that used it: the same request asking again (a gateway retry) gets the same answer. */
  @Column('varchar', { name: 'used_request_id', length: 100, nullable: true })
  usedRequestId!: string | null;

  @Column('varchar', { name: 'used_by', length: 100, nullable: true })
  usedBy!: string | null;
}
