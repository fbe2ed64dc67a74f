import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TalentCardStatus, TalentTier } from '../domain/registryTypes';

@Entity('talent_cards')
export class TalentCardEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { name: 'card_number', length: 40, unique: true })
  cardNumber!: string;

  @Column('char', { length: 1 })
  tier!: TalentTier;

  /** The holder's platform account, when they have one. */
  @Column('uuid', { name: 'holder_user_id', nullable: true })
  holderUserId!: string | null;

  @Column('varchar', { name: 'holder_name', length: 120 })
  holderName!: string;

  @Column('varchar', { length: 120, nullable: true })
  field!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  employer!: string | null;

  /** `date` columns come back as `YYYY-MM-DD` strings. */
  @Column('date', { name: 'issued_on' })
  issuedOn!: string;

  @Column('date', { name: 'valid_until' })
  validUntil!: string;

  @Column('varchar', { length: 20 })
  status!: TalentCardStatus;

  @Column('varchar', { name: 'revoked_reason', length: 500, nullable: true })
  revokedReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
