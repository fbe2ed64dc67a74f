import { endOfChinaDay, normaliseCardNumber, provinceByCardNumber, type ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { requireViewer } from '../domain/access';
import { verificationStatus } from '../talentCards/talentCardRules';
import type { TalentCardEntity } from '../talentCards/TalentCardEntity';
import { authorized, type CardCheckContext } from './CardCheckContext';

/** A check of one of this province's cards; `card` is null when no such card exists here. */
interface Verification {
  readonly cardNumber: string;
  readonly card: TalentCardEntity | null;
  /** Only a check with the holder's code learns whose card it is. */
  readonly holderShown: boolean;
}

/** What either kind of check answers about the card, as this province (the issuer) sees it now. */
const verificationFields = {
  issuer: (_: Verification, __: unknown, { province }: CardCheckContext) => province.code,
  cardName: (_: Verification, __: unknown, { province }: CardCheckContext) => province.cardName,
  status: ({ card }: Verification) => verificationStatus(card),
  valid: ({ card }: Verification) => verificationStatus(card) === 'VALID',
  tier: ({ card }: Verification) => card?.tier ?? null,
  tierName: async ({ card }: Verification, _: unknown, { loaders }: CardCheckContext) => (card ? (await loaders.tierScheme()).nameOf(card.tier) : null),
  holderName: ({ card, holderShown }: Verification) => (holderShown ? card?.holderName ?? null : null),
  validUntil: ({ card }: Verification) => (card ? endOfChinaDay(card.validUntil) : null),
};

/**
 * `<Own>CardVerification`: this province, as issuer, answers for any number (UNKNOWN when it has no such card):
 * whether the card is valid and its tier, never whose it is. Each check is written to the check log.
 */
export const cardVerificationResolvers = {
  ...verificationFields,
  __resolveReference: async ({ cardNumber }: { cardNumber: string }, context: CardCheckContext): Promise<Verification> => {
    const viewer = requireViewer(context, 'talent card checks');
    const number = normaliseCardNumber(cardNumber);
    // A number in another format cannot be one of ours: no query needed (nor a long string sent to the database).
    const issuedHere = provinceByCardNumber(number)?.key === context.province.key;
    const card = issuedHere ? await context.loaders.talentCardsByNumber.load(number) : null;
    await context.services.cardChecks.recordNumberCheck(viewer, context.requestId, number, card);
    return { cardNumber: number, card, holderShown: false };
  },
};

/** `<Own>CodeVerification`: a check with the holder's code, which it uses up; it names the holder. */
export const codeVerificationResolvers = {
  ...verificationFields,
  check: ({ check }: { check: string }) => check,
  cardNumber: ({ cardNumber }: Verification) => cardNumber,
  __resolveReference: async ({ check }: { check: string }, context: CardCheckContext): Promise<Verification & { check: string }> => {
    const viewer = requireViewer(context, 'talent card checks');
    const card = await context.services.cardChecks.checkByCode(viewer, context.requestId, check);
    return { check, cardNumber: card.cardNumber, card, holderShown: true };
  },
};

/** The holder's mutation, named for the province: a code for their own card. */
export function cardCheckMutations(province: ProvinceDefinition) {
  return {
    [`create${province.typePrefix}CardVerificationCode`]: authorized.authenticated((_: unknown, __: unknown, { viewer, services }) =>
      services.cardChecks.createCode(viewer)),
  };
}

/** `<Province>Registry.cardChecks`: every check of this province's cards, for its admins. */
export const cardCheckRegistryResolvers = {
  cardChecks: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { cardNumber?: string | null; first: number; after?: string | null }, { services }) =>
    services.cardChecks.page(args.cardNumber, args.first, args.after)),
};
