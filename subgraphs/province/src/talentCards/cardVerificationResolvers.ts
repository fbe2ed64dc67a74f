import { endOfChinaDay, normaliseCardNumber, provinceByCardNumber } from '../../../../shared/src';
import { authorized, requireViewer } from '../domain/access';
import type { TalentTier } from '../domain/registryTypes';
import { verificationStatus } from './talentCardRules';
import type { TalentCardEntity } from './TalentCardEntity';
import type { ProvinceContext } from '../ProvinceContext';
import type { PartnerCardCheck } from '../recognitions/RecognitionCatalogService';
import { toRecognizedService } from './talentCardResolvers';

/** A check of a card number against this province's register; `card` is null when no such card exists here. */
interface Verification {
  readonly cardNumber: string;
  readonly card: TalentCardEntity | null;
}

/** `<Own>CardVerification`: this province, as issuer, answers for any number (UNKNOWN when it has no such card). */
export const cardVerificationResolvers = {
  __resolveReference: async ({ cardNumber }: { cardNumber: string }, context: ProvinceContext): Promise<Verification> => {
    requireViewer(context, 'talent card checks');
    const number = normaliseCardNumber(cardNumber);
    // A number in another format cannot be one of ours: no query needed (nor a long string sent to the database).
    const issuedHere = provinceByCardNumber(number)?.key === context.province.key;
    return { cardNumber: number, card: issuedHere ? await context.loaders.talentCardsByNumber.load(number) : null };
  },
  issuer: (_: Verification, __: unknown, { province }: ProvinceContext) => province.code,
  cardName: (_: Verification, __: unknown, { province }: ProvinceContext) => province.cardName,
  status: ({ card }: Verification) => verificationStatus(card),
  valid: ({ card }: Verification) => verificationStatus(card) === 'VALID',
  tier: ({ card }: Verification) => card?.tier ?? null,
  holderName: ({ card }: Verification) => card?.holderName ?? null,
  validUntil: ({ card }: Verification) => (card ? endOfChinaDay(card.validUntil) : null),
};

/** `<Partner>CardVerification`: this province's services for a card the partner has checked (tier and status come from the partner). */
export const partnerCardVerificationResolvers = {
  __resolveReference: (reference: { cardNumber: string; tier?: TalentTier | null; status?: string }, context: ProvinceContext) => {
    requireViewer(context, 'talent card checks');
    return reference;
  },
  recognizedServices: authorized.authenticated(async (check: PartnerCardCheck, _: unknown, context) => {
    const catalog = await context.loaders.recognitionCatalog();
    const granted = await context.services.recognitions.servicesFor(context.viewer, context.requestId, check, catalog);
    return granted.map((row) => toRecognizedService(row, context.province));
  }),
};
