import type { TalentTier } from '../domain/registryTypes';
import type { PartnerTierMappingEntity, TalentTierEntity } from './TierEntities';
import type { TierRepository } from './TierRepository';

/** This province's tier scheme as a request reads it: read once per request, the scheme being small. */
export interface TierScheme {
  readonly tiers: readonly TalentTierEntity[];
  readonly mapping: readonly PartnerTierMappingEntity[];
  /** The name of one of this province's tiers. */
  nameOf(tier: TalentTier): string;
  /** What a partner card of `partnerTier` counts as here; unmapped, its own code. */
  ownTierOf(partnerTier: TalentTier): TalentTier;
}

export function createTierLoaders(tiers: TierRepository) {
  let scheme: Promise<TierScheme> | undefined;
  return {
    tierScheme: () => (scheme ??= read(tiers)),
  };
}

async function read(repository: TierRepository): Promise<TierScheme> {
  const [tiers, mapping] = await Promise.all([repository.scheme(), repository.partnerMapping()]);
  const names = new Map(tiers.map((tier) => [tier.code, tier.name]));
  const own = new Map(mapping.map((row) => [row.partnerTier, row.ownTier]));
  return {
    tiers,
    mapping,
    nameOf: (tier) => names.get(tier) ?? `Tier ${tier}`,
    ownTierOf: (partnerTier) => own.get(partnerTier) ?? partnerTier,
  };
}

export type TierLoaders = ReturnType<typeof createTierLoaders>;
