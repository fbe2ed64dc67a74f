/** Value sets of the registry, shared by entities, seeds and resolvers. The database enforces them with CHECK constraints. */
export type InstrumentStatus = 'IN_SERVICE' | 'MAINTENANCE' | 'RETIRED';
export type InstrumentService = 'TESTING' | 'RND' | 'CONSULTATION';
/** Where an instrument's purchase money came from (经费来源): central or local public funds, the institution's own, other. */
export const FUNDING_SOURCES = ['CENTRAL_FISCAL', 'LOCAL_FISCAL', 'SELF_RAISED', 'OTHER'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export type LabLevel = 'NATIONAL' | 'PROVINCIAL';
/** A is the highest tier. */
export type TalentTier = 'A' | 'B' | 'C' | 'D';
export type TalentCardStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';
/** NO_SHOW: confirmed, and nobody checked in within the grace period after its start. */
export type BookingStatus = 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'COMPLETED' | 'NO_SHOW';
/**
 * Who asked for a booking, relative to the instrument's owner, when it was made: the evaluation counts use by
 * its own institution apart from external service, and service to the other province apart again.
 */
export type RequesterCategory = 'OWN_INSTITUTION' | 'OWN_PROVINCE' | 'OTHER_PROVINCE' | 'ENTERPRISE';

/**
 * The eight service items the two provinces recognise for each other's card
 * holders. The catalogue rows are data (a policy change needs no schema
 * release), but each row's code must be one of these.
 */
export const RECOGNITION_ITEM_CODES = [
  'MEDICAL_GREEN_CHANNEL',
  'CHILD_EDUCATION',
  'TALENT_HOUSING',
  'SPOUSE_EMPLOYMENT',
  'TRANSPORT_TRAVEL',
  'EXIT_ENTRY',
  'CULTURE_TOURISM',
  'INSTRUMENT_SHARING_VOUCHER',
] as const;
export type RecognitionItemCode = (typeof RECOGNITION_ITEM_CODES)[number];

const TIER_RANK: Record<TalentTier, number> = { A: 4, B: 3, C: 2, D: 1 };

/** Whether a card of `tier` qualifies for a service that asks at least `minimumTier`. */
export function tierMeets(tier: TalentTier, minimumTier: TalentTier): boolean {
  return TIER_RANK[tier] >= TIER_RANK[minimumTier];
}
