import type { ProvinceDefinition } from '../../../../shared/src';

/** A card is issued or renewed for at most this many years from today. */
export const CARD_MAX_YEARS = 10;

const CST_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar day (YYYY-MM-DD) of an instant in China Standard Time. UTC+8
 * has no daylight saving, so a fixed offset is exact.
 */
export function cstDay(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
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

