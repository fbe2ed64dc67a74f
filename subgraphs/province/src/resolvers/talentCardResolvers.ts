import type { ProvinceDefinition } from '../../../../shared/src';
import { encodeGlobalId } from '../../../../shared/src';
import { tierMeets, type TalentTier } from '../domain/registryTypes';
import type { RecognitionEntity, TalentCardEntity } from '../entities';
import type { ProvinceContext } from '../ProvinceContext';

/** Card dates are calendar days in China Standard Time; a card is valid through the end of its last day. */
const endOfDayCst = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const startOfDayCst = (day: string) => new Date(`${day}T00:00:00+08:00`);

export function isCardValid(card: TalentCardEntity, now = new Date()): boolean {
  return card.status === 'ACTIVE' && endOfDayCst(card.validUntil) >= now;
}

export const talentCardResolvers = {
  id: (card: TalentCardEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'talentcard', card.id),
  issuer: (_: TalentCardEntity, __: unknown, { province }: ProvinceContext) => province.code,
  cardName: (_: TalentCardEntity, __: unknown, { province }: ProvinceContext) => province.cardName,
  // A card past its date reads EXPIRED even before an admin updates the row.
  status: (card: TalentCardEntity) => (card.status === 'ACTIVE' && !isCardValid(card) ? 'EXPIRED' : card.status),
  valid: (card: TalentCardEntity) => isCardValid(card),
  issuedOn: (card: TalentCardEntity) => startOfDayCst(card.issuedOn),
  validUntil: (card: TalentCardEntity) => endOfDayCst(card.validUntil),
  holder: (card: TalentCardEntity) => (card.holderUserId ? { __typename: 'User', id: card.holderUserId } : null),
};

/** A catalogue row as the shared `RecognizedService` type. */
export function toRecognizedService(row: RecognitionEntity, province: ProvinceDefinition) {
  return {
    code: row.code,
    serviceProvince: province.code,
    name: row.name,
    nameZh: row.nameZh,
    provider: row.provider,
    minimumTier: row.minimumTier,
    howToApply: row.howToApply,
  };
}

/** This province's answer for a partner-issued card: its own services that the card's tier qualifies for. */
export async function partnerRecognitions(card: { tier: TalentTier }, _: unknown, { loaders, province }: ProvinceContext) {
  const catalog = await loaders.recognitionCatalog();
  return catalog.filter((row) => tierMeets(card.tier, row.minimumTier)).map((row) => toRecognizedService(row, province));
}
