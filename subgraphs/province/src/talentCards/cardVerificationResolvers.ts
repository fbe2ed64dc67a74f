import { endOfChinaDay, normaliseCardNumber, provinceByCardNumber } from '../../../../shared/src';
import { requireViewer } from '../domain/access';
import type { TalentCardContext } from './TalentCardContext';
import { verificationStatus } from './talentCardRules';
import type { TalentCardEntity } from './TalentCardEntity';

/** A check of a card number against this province's register; `card` is null when no such card exists here. */
interface Verification {
  readonly cardNumber: string;
  readonly card: TalentCardEntity | null;
}

/** `<Own>CardVerification`: this province, as issuer, answers for any number (UNKNOWN when it has no such card). */
export const cardVerificationResolvers = {
  __resolveReference: async ({ cardNumber }: { cardNumber: string }, context: TalentCardContext): Promise<Verification> => {
    requireViewer(context, 'talent card checks');
    const number = normaliseCardNumber(cardNumber);
    // A number in another format cannot be one of ours: no query needed (nor a long string sent to the database).
    const issuedHere = provinceByCardNumber(number)?.key === context.province.key;
    return { cardNumber: number, card: issuedHere ? await context.loaders.talentCardsByNumber.load(number) : null };
  },
  issuer: (_: Verification, __: unknown, { province }: TalentCardContext) => province.code,
  cardName: (_: Verification, __: unknown, { province }: TalentCardContext) => province.cardName,
  status: ({ card }: Verification) => verificationStatus(card),
  valid: ({ card }: Verification) => verificationStatus(card) === 'VALID',
  tier: ({ card }: Verification) => card?.tier ?? null,
  holderName: ({ card }: Verification) => card?.holderName ?? null,
  validUntil: ({ card }: Verification) => (card ? endOfChinaDay(card.validUntil) : null),
};
