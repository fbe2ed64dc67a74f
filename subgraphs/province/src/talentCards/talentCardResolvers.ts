import { encodeGlobalId, endOfChinaDay, startOfChinaDay, type ProvinceDefinition } from '../../../../shared/src';
import { requireCardAccess, requirePersonalAccess } from '../domain/access';
import { authorized, type TalentCardContext } from './TalentCardContext';
import { effectiveCardStatus, isCardValid, parseCardNumber } from './talentCardRules';
import type { TalentCardEntity } from './TalentCardEntity';

export const talentCardResolvers = {
  id: (card: TalentCardEntity, _: unknown, { province }: TalentCardContext) => encodeGlobalId(province, 'talentcard', card.id),
  issuer: (_: TalentCardEntity, __: unknown, { province }: TalentCardContext) => province.code,
  cardName: (_: TalentCardEntity, __: unknown, { province }: TalentCardContext) => province.cardName,
  tierName: async (card: TalentCardEntity, _: unknown, { loaders }: TalentCardContext) => (await loaders.tierScheme()).nameOf(card.tier),
  status: (card: TalentCardEntity) => effectiveCardStatus(card),
  valid: (card: TalentCardEntity) => isCardValid(card),
  // Card dates are China calendar days: issued at the start of one, valid through the end of the last.
  issuedOn: (card: TalentCardEntity) => startOfChinaDay(card.issuedOn),
  validUntil: (card: TalentCardEntity) => endOfChinaDay(card.validUntil),
  holder: (card: TalentCardEntity) => (card.holderUserId ? { __typename: 'User', id: card.holderUserId } : null),
};

/** `<Province>Registry.talentCard`: a card by its number, for its holder and admins; the province's tier scheme, public. */
export const talentCardRegistryResolvers = {
  tierScheme: async (_: unknown, __: unknown, { loaders }: TalentCardContext) => (await loaders.tierScheme()).tiers,
  partnerTierMapping: async (_: unknown, __: unknown, { loaders }: TalentCardContext) => (await loaders.tierScheme()).mapping,
  talentCard: authorized.authenticated(async (_: unknown, { cardNumber }: { cardNumber: string }, context) => {
    return requireCardAccess(context, await context.repositories.talentCards.findByCardNumber(parseCardNumber(cardNumber)));
  }),
};

/** `User.<province>TalentCard`: a person's card here, for that person and admins. */
export function userTalentCardResolvers(province: ProvinceDefinition) {
  return {
    [`${province.key}TalentCard`]: authorized.authenticated((user: { id: string }, _: unknown, context) => {
      requirePersonalAccess(context, user.id, `this person's ${province.cardName}`);
      return context.loaders.talentCardsByHolder.load(user.id);
    }),
  };
}
