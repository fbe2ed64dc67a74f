import { chinaMidnight, HOUR_MS, type CustomerCategory } from '../../../../shared/src';

/** What a province offers with an instrument or a lab's service centre. */
export const OFFERING_KINDS = ['SELF_OPERATED', 'SAMPLE_TESTING', 'ASSISTED_OPERATION', 'RD_PROJECT', 'CONSULTATION'] as const;
export type OfferingKind = (typeof OFFERING_KINDS)[number];
export type PriceUnit = 'HOUR' | 'SAMPLE' | 'PROJECT';

/** How each kind is priced: by the hour of use, by the sample, or by a quote for the whole project. */
export const UNIT_OF_KIND: Readonly<Record<OfferingKind, PriceUnit>> = {
  SELF_OPERATED: 'HOUR',
  SAMPLE_TESTING: 'SAMPLE',
  ASSISTED_OPERATION: 'HOUR',
  RD_PROJECT: 'PROJECT',
  CONSULTATION: 'PROJECT',
};

/** The band a price without hours belongs to: it applies whenever no time band does. */
export const STANDARD_BAND = 'STANDARD';

/** One row of an offering's price list. Hours are local (UTC+8) and whole: 18 to 22 is 18:00–22:00. */
export interface PriceEntry {
  readonly category: CustomerCategory;
  readonly band: string;
  readonly fromHour: number | null;
  readonly toHour: number | null;
  readonly amountFen: number;
}

/** One part of a price worked out for a period or a number of samples. */
export interface PriceLine {
  readonly band: string;
  /** Hours, samples or 1 (a project), as a decimal string: exact, never a float that prints 1.4999. */
  readonly quantity: string;
  readonly unitFen: number;
  readonly amountFen: number;
}

/** What a booking or service request records when it is made: later price changes do not touch it. */
export interface PriceSnapshot {
  readonly category: CustomerCategory;
  readonly lines: readonly PriceLine[];
  readonly totalFen: number;
}

/** The caller's prices: the standard one first, then its time bands by starting hour. */
export function pricesOf(prices: readonly PriceEntry[], category: CustomerCategory): PriceEntry[] {
  return prices
    .filter((price) => price.category === category)
    .sort((a, b) => (a.fromHour ?? -1) - (b.fromHour ?? -1));
}

/** The price that applies at a local hour: the time band covering it, else the standard price; null when there is none. */
export function priceAtHour(prices: readonly PriceEntry[], category: CustomerCategory, hour: number): PriceEntry | null {
  const own = pricesOf(prices, category);
  return (
    own.find((price) => price.fromHour !== null && price.toHour !== null && hour >= price.fromHour && hour < price.toHour) ??
    own.find((price) => price.fromHour === null) ??
    null
  );
}

const SLOT_MS = 30 * 60_000;

/** `n / 60` of an amount per hour, rounded half up to the fen, in integers. */
const perMinutes = (unitFen: number, minutes: number) => Math.floor((unitFen * minutes + 30) / 60);

/**
 * The price of using an instrument from start to end: each half hour at the price of its band, one line per band.
 * Null when the caller's category has no price for some half hour (the offering does not serve them then).
 */
export function priceOfPeriod(prices: readonly PriceEntry[], category: CustomerCategory, start: Date, end: Date): PriceSnapshot | null {
  const minutesByBand = new Map<string, { price: PriceEntry; minutes: number }>();
  for (let at = start.getTime(); at < end.getTime(); at += SLOT_MS) {
    const hour = Math.floor((at - chinaMidnight(new Date(at)).getTime()) / HOUR_MS);
    const price = priceAtHour(prices, category, hour);
    if (!price) return null;
    const entry = minutesByBand.get(price.band) ?? { price, minutes: 0 };
    entry.minutes += Math.min(SLOT_MS, end.getTime() - at) / 60_000;
    minutesByBand.set(price.band, entry);
  }
  const lines = [...minutesByBand.values()].map(({ price, minutes }) => ({
    band: price.band,
    quantity: formatQuantity(minutes / 60),
    unitFen: price.amountFen,
    amountFen: perMinutes(price.amountFen, minutes),
  }));
  return { category, lines, totalFen: lines.reduce((sum, line) => sum + line.amountFen, 0) };
}

/** The price of `count` samples (or of one project) at the standard price; null when the category has none. */
export function priceOfUnits(prices: readonly PriceEntry[], category: CustomerCategory, count: number): PriceSnapshot | null {
  const price = pricesOf(prices, category).find((entry) => entry.fromHour === null);
  if (!price) return null;
  const line = { band: price.band, quantity: String(count), unitFen: price.amountFen, amountFen: price.amountFen * count };
  return { category, lines: [line], totalFen: line.amountFen };
}

/** Hours to at most three decimals, without trailing zeros ("1.5", "2"). */
export function formatQuantity(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
