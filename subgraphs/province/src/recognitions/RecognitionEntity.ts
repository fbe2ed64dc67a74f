import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TalentTier } from '../domain/registryTypes';

/** One of the eight items this province grants to holders of the partner's card. */
@Entity('recognition_catalog')
export class RecognitionEntity {
  @PrimaryColumn('varchar', { length: 40 })
  code!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { name: 'name_zh', length: 200 })
  nameZh!: string;

  @Column('varchar', { length: 200 })
  provider!: string;

  @Column('char', { name: 'minimum_tier', length: 1 })
  minimumTier!: TalentTier;

  @Column('text', { name: 'how_to_apply', nullable: true })
  howToApply!: string | null;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
