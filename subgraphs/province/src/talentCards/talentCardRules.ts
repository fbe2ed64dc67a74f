import { badUserInput, endOfChinaDay, type ProvinceDefinition } from '../../../../shared/src';
import type { TalentCardStatus } from '../domain/registryTypes';

/** A card is issued or renewed for at most this many years from today. */
export const CARD_MAX_YEARS = 10;

const MAX_CARD_NUMBER_LENGTH = 40;

/** A card number as typed (surrounding spaces dropped), or BAD_USER_INPUT when it cannot be one. */
export function parseCardNumber(cardNumber: string): string {
  const number = cardNumber.trim();
  if (number.length === 0 || number.length > MAX_CARD_NUMBER_LENGTH) {
    throw badUserInput(`cardNumber must be 1–${MAX_CARD_NUMBER_LENGTH} characters, such as the number printed on the card.`, { argument: 'cardNumber' });
  }
  return number;
}

/** The same calendar day `years` later (29 February rolls over to 1 March). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** `<prefix>-<year>-<six digits>`, e.g. TF-2026-700001: the prefix names the issuer, the year is the year of issue (UTC+8). */
export function formatCardNumber(province: ProvinceDefinition, issuedOn: string, serial: number): string {
  return `${province.cardNumberPrefix}-${issuedOn.slice(0, 4)}-${String(serial).padStart(6, '0')}`;
}

/** What a card's validity rules look at: its stored status and last day (a China calendar day). */
export interface CardValidity {
  readonly status: TalentCardStatus;
  readonly validUntil: string;
}

/**
 * A card number with all but the last two digits of its serial hidden (TF-2026-****01): what an event says of a card.
 * A partner reading events learns no number it could check or pass on, yet one that has the card's full number from
 * the holder (a check, a redemption) can tell which of its cards an event may be about, and check that one.
 * `MaskCardNumbersInEvents` masks the same way in SQL.
 */
export function maskCardNumber(cardNumber: string): string {
  const serialStart = cardNumber.lastIndexOf('-') + 1;
  const serial = cardNumber.slice(serialStart);
  return `${cardNumber.slice(0, serialStart)}${'*'.repeat(Math.max(serial.length - 2, 0))}${serial.slice(-2)}`;
}

/** Card dates are calendar days in China Standard Time; a card is valid through the end of its last day. */
export function isCardValid(card: CardValidity, now = new Date()): boolean {
  return card.status === 'ACTIVE' && endOfChinaDay(card.validUntil) >= now;
}

/** A card past its date reads EXPIRED even before an admin updates the row. */
export function effectiveCardStatus(card: CardValidity, now = new Date()): TalentCardStatus {
  return card.status === 'ACTIVE' && !isCardValid(card, now) ? 'EXPIRED' : card.status;
}

export type VerificationStatus = 'VALID' | 'EXPIRED' | 'REVOKED' | 'UNKNOWN';

/** The answer to "is this card valid?"; UNKNOWN when this province issued no such card. */
export function verificationStatus(card: CardValidity | null, now = new Date()): VerificationStatus {
  if (!card) return 'UNKNOWN';
  if (card.status === 'REVOKED') return 'REVOKED';
  return isCardValid(card, now) ? 'VALID' : 'EXPIRED';
}
