import { PROVINCE_TABLE } from '../provinces';

/** Items assumed for a list field that has no limit argument and no better estimate below. */
export const ASSUMED_LIST_SIZE = 10;

/** Arguments that say how many items a field answers (a page size). */
export const SLICING_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last', 'limit']);

const DAY_MS = 86_400_000;
/** `availability` answers at most 31 days (BookingService); a day has one free slot plus one per booking, two assumed. */
const AVAILABILITY_MAX_DAYS = 31;
const FREE_SLOTS_PER_DAY = 2;
/** `busyTimes` answers at most 92 days (BookingService); two bookings a day assumed. */
const BUSY_TIMES_MAX_DAYS = 92;
const BOOKINGS_PER_DAY = 2;
/** `stats(from, to)` covers at most 366 days; `bookingsPerDay` has one item per day. */
const STATS_MAX_DAYS = 366;

/** Whole days between two DateTime arguments, within 1..max; the maximum when either cannot be read. */
function daysBetween(from: unknown, to: unknown, max: number): number {
  const start = typeof from === 'string' ? Date.parse(from) : NaN;
  const end = typeof to === 'string' ? Date.parse(to) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return max;
  return Math.min(max, Math.max(1, Math.ceil((end - start) / DAY_MS)));
}

type SizeOf = (args: Readonly<Record<string, unknown>>) => number;

/**
 * What the schema knows about list sizes better than the default guess, by
 * schema coordinate (`Type.field`), for both provinces' types. Lists not named
 * here and without a page-size argument count ASSUMED_LIST_SIZE items.
 */
export const LIST_SIZES: ReadonlyMap<string, SizeOf> = new Map(
  PROVINCE_TABLE.flatMap(({ typePrefix: P }): [string, SizeOf][] => [
    [`${P}Instrument.availability`, (args) => daysBetween(args['from'], args['to'], AVAILABILITY_MAX_DAYS) * FREE_SLOTS_PER_DAY],
    [`${P}Instrument.busyTimes`, (args) => daysBetween(args['from'], args['to'], BUSY_TIMES_MAX_DAYS) * BOOKINGS_PER_DAY],
    // Every lab of the province, unpaged.
    [`${P}Registry.labs`, () => 100],
    // A joint lab lists the few instruments it shares; the wall dashboard asks this of every joint lab at once.
    [`${P}Lab.instruments`, () => 5],
    // The period is an argument of `stats`, one level up: assume the longest.
    [`${P}Stats.bookingsPerDay`, () => STATS_MAX_DAYS],
  ]),
);

/** Lists inside a connection (`edges`, `nodes`): their size is the page size of the field that answered the connection. */
export const isConnectionList = (typeName: string, fieldName: string) =>
  typeName.endsWith('Connection') && (fieldName === 'edges' || fieldName === 'nodes');
