import { encodeGlobalId, endOfChinaDay, startOfChinaDay, type ProvinceDefinition } from '../../../../shared/src';
import { effectiveCardStatus, isCardValid } from './talentCardRules';
import { tierMeets, type TalentTier } from '../domain/registryTypes';
import type { RecognitionEntity } from '../recognitions/RecognitionEntity';
import type { TalentCardEntity } from './TalentCardEntity';
import type { ProvinceContext } from '../ProvinceContext';

export const talentCardResolvers = {
  id: (card: TalentCardEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'talentcard', card.id),
  issuer: (_: TalentCardEntity, __: unknown, { province }: ProvinceContext) => province.code,
  cardName: (_: TalentCardEntity, __: unknown, { province }: ProvinceContext) => province.cardName,
  status: (card: TalentCardEntity) => effectiveCardStatus(card),
  valid: (card: TalentCardEntity) => isCardValid(card),
  // Card dates are China calendar days: issued at the start of one, valid through the end of the last.
  issuedOn: (card: TalentCardEntity) => startOfChinaDay(card.issuedOn),
  validUntil: (card: TalentCardEntity) => endOfChinaDay(card.validUntil),
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
