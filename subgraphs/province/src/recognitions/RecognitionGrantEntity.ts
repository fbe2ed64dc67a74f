import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TalentTier } from '../domain/registryTypes';

/** A verification of a partner-issued card for which this province granted services. */
@Entity('recognition_grants')
export class RecognitionGrantEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('varchar', { name: 'card_number', length: 40 })
  cardNumber!: string;

  @Column('char', { length: 1 })
  tier!: TalentTier;

  @Column('text', { array: true })
  services!: string[];

  @Column('varchar', { name: 'request_id', length: 100 })
  requestId!: string;

  @Column('varchar', { name: 'verified_by', length: 100 })
  verifiedBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'verified_at' })
  verifiedAt!: Date;
}
