import type { EntityManager, Repository } from 'typeorm';
import { PartnerTierMappingEntity, TalentTierEntity } from './TierEntities';

/** This province's tier scheme and its mapping from the partner's tiers. */
export class TierRepository {
  private readonly tiers: Repository<TalentTierEntity>;
  private readonly mapping: Repository<PartnerTierMappingEntity>;

  constructor(manager: EntityManager) {
    this.tiers = manager.getRepository(TalentTierEntity);
    this.mapping = manager.getRepository(PartnerTierMappingEntity);
  }

  /** Highest tier first. */
  scheme(): Promise<TalentTierEntity[]> {
    return this.tiers.find({ order: { code: 'ASC' } });
  }

  partnerMapping(): Promise<PartnerTierMappingEntity[]> {
    return this.mapping.find({ order: { partnerTier: 'ASC' } });
  }

  /** Replaces the names and the mapping with the province's (seeds). */
  async put(tiers: readonly TalentTierEntity[], mapping: readonly PartnerTierMappingEntity[]): Promise<void> {
    await this.tiers.upsert([...tiers], ['code']);
    await this.mapping.upsert([...mapping], ['partnerTier']);
  }
}
