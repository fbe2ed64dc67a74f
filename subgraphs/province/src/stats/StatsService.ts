import { badUserInput, DAY_MS, type ProvinceDefinition } from '../../../../shared/src';
import { RECOGNITION_ITEM_CODES, type BookingStatus, type InstrumentStatus, type TalentCardStatus, type TalentTier } from '../domain/registryTypes';
import { OFFERING_KINDS } from '../offerings/pricing';
import { SERVICE_REQUEST_STATUSES } from '../serviceRequests/serviceRequestRules';
import type { StatsRepository } from './StatsRepository';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/** Every key is listed, zero or not, so dashboards get the same shape from both provinces and every period. */
const INSTRUMENT_STATUSES: readonly InstrumentStatus[] = ['IN_SERVICE', 'MAINTENANCE', 'RETIRED'];
const BOOKING_STATUSES: readonly BookingStatus[] = ['REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'];
const CARD_STATUSES: readonly TalentCardStatus[] = ['ACTIVE', 'EXPIRED', 'REVOKED'];
const TIERS: readonly TalentTier[] = ['A', 'B', 'C', 'D'];

export interface CountByKey {
  key: string;
  count: number;
}

export interface ProvinceStats {
  province: string;
  from: Date;
  to: Date;
  instruments: number;
  instrumentsByCategory: CountByKey[];
  instrumentsByStatus: CountByKey[];
  bookingsByStatus: CountByKey[];
  bookingsPerDay: { day: string; bookings: number; bookedHours: number; usedHours: number }[];
  utilisationByCategory: { category: string; bookedHours: number; usedHours: number; openHours: number; utilisation: number }[];
  talentCardsByTier: CountByKey[];
  talentCardsByStatus: CountByKey[];
  recognitionsGranted: number;
  servicesDelivered: CountByKey[];
  serviceRequestsByStatus: CountByKey[];
  serviceTurnaround: { reportsIssued: number; averageDays: number | null; medianDays: number | null };
  incomeByOfferingKind: { key: string; amountFen: string }[];
  labs: number;
  jointLabs: number;
}

/**
 * Figures for dashboards. Two kinds, read from one snapshot:
 * - now: instruments not retired (in all and by category), all instruments
 *   by status, open labs, talent cards by tier and effective status;
 * - over the period [from, to): bookings starting in it by status; per UTC+8
 *   day the requested/confirmed/completed bookings starting that day, the
 *   hours such bookings take that day and the hours of actual use (check-in to
 *   check-out) that day; utilisation per category: actual use clipped to the
 *   period over the opening hours of the category's instruments in service —
 *   booked hours no one used do not count; recognitions granted.
 */
export class StatsService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly stats: StatsRepository,
  ) {}

  async forPeriod(from: Date | null | undefined, to: Date | null | undefined, now = new Date()): Promise<ProvinceStats> {
    const period = resolvePeriod(from, to, now);
    const rows = await this.stats.read(period, now);
    const categories = [...new Set(rows.instruments.map((row) => row.category))];
    const registered = rows.instruments.filter((row) => row.status !== null);
    // A retired instrument is out of service for good: only its status still counts it.
    const current = registered.filter((row) => row.status !== 'RETIRED');
    return {
      province: this.province.code,
      ...period,
      instruments: sum(current.map((row) => row.count)),
      instrumentsByCategory: countBy(categories, current, (row) => row.category),
      instrumentsByStatus: countBy(INSTRUMENT_STATUSES, registered, (row) => row.status!),
      bookingsByStatus: countBy(BOOKING_STATUSES, rows.bookingsByStatus, (row) => row.status),
      bookingsPerDay: rows.bookingsPerDay.map((row) => ({ ...row, bookedHours: round(row.bookedHours, 2), usedHours: round(row.usedHours, 2) })),
      utilisationByCategory: rows.utilisation.map(({ category, bookedHours, usedHours, openHours }) => ({
        category,
        bookedHours: round(bookedHours, 2),
        usedHours: round(usedHours, 2),
        openHours: round(openHours, 2),
        utilisation: openHours > 0 ? round(usedHours / openHours, 4) : 0,
      })),
      talentCardsByTier: countBy(TIERS, rows.talentCards, (row) => row.tier),
      talentCardsByStatus: countBy(CARD_STATUSES, rows.talentCards, (row) => row.status),
      recognitionsGranted: rows.recognitionsGranted,
      servicesDelivered: countBy(RECOGNITION_ITEM_CODES, rows.servicesDelivered, (row) => row.item),
      serviceRequestsByStatus: countBy(SERVICE_REQUEST_STATUSES, rows.serviceRequestsByStatus, (row) => row.status),
      serviceTurnaround: {
        reportsIssued: rows.turnaround.reportsIssued,
        averageDays: rows.turnaround.averageDays === null ? null : round(rows.turnaround.averageDays, 2),
        medianDays: rows.turnaround.medianDays === null ? null : round(rows.turnaround.medianDays, 2),
      },
      incomeByOfferingKind: OFFERING_KINDS.map((key) => ({ key, amountFen: rows.incomeByKind.find((row) => row.kind === key)?.amountFen ?? '0' })),
      labs: rows.labs,
      jointLabs: rows.jointLabs,
    };
  }
}

/** Default: the 30 days up to `to`, and `to` defaults to now. */
export function resolvePeriod(from: Date | null | undefined, to: Date | null | undefined, now: Date): { from: Date; to: Date } {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) {
    throw badUserInput(`from must be before to; got from ${start.toISOString()} and to ${end.toISOString()}.`, { argument: 'from' });
  }
  if (end.getTime() - start.getTime() > MAX_DAYS * DAY_MS) {
    throw badUserInput(`The period may span at most ${MAX_DAYS} days; ask for a longer time in several requests.`, { argument: 'to' });
  }
  return { from: start, to: end };
}

function countBy<T>(keys: readonly string[], rows: readonly (T & { count: number })[], keyOf: (row: T) => string): CountByKey[] {
  const counts = new Map(keys.map((key) => [key, 0]));
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + row.count);
  return [...counts].map(([key, count]) => ({ key, count }));
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
