import { z } from 'zod';
import { input, isUuid, PROVINCE_TABLE, provinceByCode, type ProvinceCode, type ProvinceKey } from '../../../../shared/src';

/** Largest voucher, charge or part of one, in fen (10 million yuan): far below 2^31, so GraphQL `Int` carries it exactly. */
export const MAX_VOUCHER_FEN = 1_000_000_000;
/** How long a hold lasts uncaptured unless the reserving side asks otherwise, and at most. */
export const DEFAULT_HOLD_SECONDS = 900;
export const MAX_HOLD_SECONDS = 3_600;
/** Longest validity of a voucher. */
export const MAX_VOUCHER_DAYS = 3 * 366;

export const fenAmount = (what: string) =>
  z.number().int({ message: `must be a whole number of fen (${what}; 1 yuan = 100 fen)` }).min(1, { message: 'must be at least 1 fen' })
    .max(MAX_VOUCHER_FEN, { message: `must be at most ${MAX_VOUCHER_FEN} fen` });

const PROVINCE_CODES = PROVINCE_TABLE.map((row) => row.code) as [ProvinceCode, ...ProvinceCode[]];
export const provinceCode = z.enum(PROVINCE_CODES, { message: `must be one of ${PROVINCE_CODES.join(', ')}` })
  .transform((code): ProvinceKey => provinceByCode(code).key);

export const uuid = (what: string) =>
  z.string().refine(isUuid, { message: `must be ${what} (a UUID)` }).transform((value) => value.toLowerCase());

/** A charge reference of the serving province, as its charges name them. */
export const chargeRef = input.text(1, 100);

/** The most a voucher with `maxSharePercent` may pay of a charge of `chargeAmountFen`, rounded down to the fen. */
export function maxCoverFen(chargeAmountFen: number, maxSharePercent: number): number {
  return Math.floor((chargeAmountFen * maxSharePercent) / 100);
}

/**
 * Why a voucher may not pay for a charge of `servingProvince` at `now`, or null when it may: the
 * province rule and the validity period. The balance and share rules need the locked row and are
 * checked by the service.
 */
export function refusalOf(
  voucher: { validFrom: Date; validUntil: Date; acceptedIn: readonly ProvinceKey[] },
  servingProvince: ProvinceKey,
  now: Date,
): string | null {
  if (!voucher.acceptedIn.includes(servingProvince)) {
    return `this voucher pays only for services in ${voucher.acceptedIn.join(', ')}, not ${servingProvince}`;
  }
  if (now < voucher.validFrom) return `this voucher is valid only from ${voucher.validFrom.toISOString()}`;
  if (now >= voucher.validUntil) return `this voucher expired at ${voucher.validUntil.toISOString()}`;
  return null;
}
