/** Value sets of the registry, shared by entities, seeds and resolvers. The database enforces them with CHECK constraints. */
export type InstrumentStatus = 'IN_SERVICE' | 'MAINTENANCE' | 'RETIRED';
export type InstrumentService = 'TESTING' | 'RND' | 'CONSULTATION';
export type LabLevel = 'NATIONAL' | 'PROVINCIAL';
/** A is the highest tier. */
export type TalentTier = 'A' | 'B' | 'C' | 'D';
export type TalentCardStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';
export type BookingStatus = 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'COMPLETED';

const TIER_RANK: Record<TalentTier, number> = { A: 4, B: 3, C: 2, D: 1 };

/** Whether a card of `tier` qualifies for a service that asks at least `minimumTier`. */
export function tierMeets(tier: TalentTier, minimumTier: TalentTier): boolean {
  return TIER_RANK[tier] >= TIER_RANK[minimumTier];
}
