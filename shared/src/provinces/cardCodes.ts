import { randomBytes } from 'node:crypto';
import { PROVINCES, type ProvinceDefinition } from './provinces';
import { PROVINCE_KEYS } from './provinceTable';

/**
 * A holder's verification code: `<issuer's id prefix>-XXXXX-XXXXX`, ten characters of Crockford's base 32 (no I, L,
 * O or U, so it reads aloud and types without confusion): 50 random bits, enough for a code that lives minutes and
 * is used once. The prefix names the issuer, so the platform routes a code as it routes a card number.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE = /^([A-Z]{2})-?([0-9A-HJKMNP-TV-Z]{5})-?([0-9A-HJKMNP-TV-Z]{5})$/;

/** The scheme of the QR payload a provider's scanner reads: `shuangcheng:card-check?issuer=SICHUAN&code=SC-…`. */
export const CARD_CHECK_QR_PREFIX = 'shuangcheng:card-check';

export function newCardCode(province: ProvinceDefinition): string {
  const bytes = randomBytes(10);
  // 10 bytes, 5 bits of each: the low bits of a random byte are uniform.
  const chars = [...bytes].map((byte) => ALPHABET[byte & 31]!).join('');
  return `${province.idPrefix.toUpperCase()}-${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A code as typed (blanks and case forgiven, the dashes optional), or undefined when it cannot be one of any province. */
export function parseCardCode(typed: string): { code: string; issuer: ProvinceDefinition } | undefined {
  if (typed.length > 64) return undefined;
  const match = CODE.exec(typed.replace(/\s+/g, '').toUpperCase());
  if (!match) return undefined;
  const issuer = PROVINCE_KEYS.map((key) => PROVINCES[key]).find((province) => province.idPrefix.toUpperCase() === match[1]);
  return issuer ? { code: `${match[1]}-${match[2]}-${match[3]}`, issuer } : undefined;
}

/** What the holder's QR code holds: the issuer and the code, nothing about the holder. */
export function cardCheckQrPayload(issuer: ProvinceDefinition, code: string): string {
  return `${CARD_CHECK_QR_PREFIX}?issuer=${issuer.code}&code=${code}`;
}

/**
 * The key of a check by code (`<Province>CodeVerification.check`, hidden from clients): the code, and the card number
 * the provider read off the card when it gave one, so the issuer refuses a code of another card.
 */
export function cardCheckKey(code: string, cardNumber?: string | null): string {
  return cardNumber ? `${code} ${cardNumber}` : code;
}

export function parseCardCheckKey(key: string): { code: string; cardNumber: string | null } {
  const [code = '', cardNumber] = key.split(' ');
  return { code, cardNumber: cardNumber ?? null };
}
