import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TalentTier } from '../domain/registryTypes';

/** This province's name for one tier code of its cards. */
@Entity('talent_tiers')
export class TalentTierEntity {
  @PrimaryColumn('char', { length: 1 })
  code!: TalentTier;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('varchar', { name: 'name_zh', length: 100 })
  nameZh!: string;
}

/** Which of this province's tiers a partner card of `partnerTier` counts as here. */
@Entity('partner_tier_mapping')
export class PartnerTierMappingEntity {
  @PrimaryColumn('char', { name: 'partner_tier', length: 1 })
  partnerTier!: TalentTier;

  @Column('char', { name: 'own_tier', length: 1 })
  ownTier!: TalentTier;
}
