import { chinaMidnight, DAY_MS, HOUR_MS, seededUserId, stableUuid, type ProvinceKey } from '../../../../shared/src';
import type { BookingStatus, RequesterCategory } from '../domain/registryTypes';
import type { SeedInstrument } from './provinceSeedSchema';

export interface DemoBooking {
  readonly id: string;
  readonly instrumentCode: string;
  readonly userId: string;
  /** The requester's display name, for the history. */
  readonly userName: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly purpose: string;
  /** Every status the booking went through, the last being its current one. */
  readonly statuses: BookingStatus[];
  readonly requesterCategory: RequesterCategory;
  readonly requesterInstitution: string;
  /** Check-in and check-out of a completed booking. */
  readonly actualStart: Date | null;
  readonly actualEnd: Date | null;
  /** The requester's rating of a completed booking, when they gave one. */
  readonly rating: { score: number; comment: string | null } | null;
}

/** Who asks, with the institutions a demo requester of each kind comes from. */
const REQUESTERS: readonly { category: RequesterCategory; share: number; institutions: readonly string[] }[] = [
  { category: 'OWN_INSTITUTION', share: 0.3, institutions: [] },
  { category: 'OWN_PROVINCE', share: 0.35, institutions: ['Sichuan University', 'Southwest Jiaotong University', 'Chengdu Institute of Biology, CAS', 'Chongqing University', 'Southwest University'] },
  { category: 'OTHER_PROVINCE', share: 0.2, institutions: ['Chongqing Medical University', 'Army Medical University', 'University of Electronic Science and Technology of China'] },
  { category: 'ENTERPRISE', share: 0.15, institutions: ['Chengdu Kanghong Pharmaceutical', 'Chongqing Zhifei Biological Products', 'BOE Technology (Chengdu)'] },
];

const COMMENTS = ['Well maintained, staff very helpful.', 'Data quality as expected.', 'Started a little late, otherwise fine.', null, null];

const PURPOSES = [
  'Single-particle cryo-EM data collection for a membrane transporter',
  'Whole-genome resequencing of rice cultivars',
  'Metabolomics profiling of patient serum samples',
  'Phase identification of battery cathode powders',
  'Live-cell imaging of mitochondrial dynamics',
  'Molecular dynamics simulation of protein folding',
  'Spatial transcriptomics of mouse brain sections',
  'Structure elucidation of natural products by 2D NMR',
];

/** Small deterministic generator (mulberry32): the same province always gets the same bookings. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Days of history before the first seeding: a year, so the evaluation's annual view has figures. */
export const DEMO_HISTORY_DAYS = 365;

/**
 * Realistic bookings around `today` (the day the demo was first seeded):
 * completed (checked in and out, most of them rated), no-shows, cancelled and
 * rejected ones over the year before it, so the dashboard's periods and the
 * evaluation's annual view have history from their first day; confirmed and
 * requested ones in the next five days. Each records who asked (own
 * institution, own province, other province, enterprise). At most one booking
 * per instrument and day, so they never overlap. Kept off the demo accounts,
 * whose bookings are the user's own to make.
 */
export function demoBookings(province: ProvinceKey, instruments: readonly SeedInstrument[], today: Date): DemoBooking[] {
  const next = random([...province].reduce((hash, char) => hash * 31 + char.charCodeAt(0), 7));
  const localMidnight = chinaMidnight(today).getTime();
  const bookable = instruments.filter((i) => i.openForSharing && i.status === 'IN_SERVICE' && i.openToHour - i.openFromHour >= 4);
  const bookings: DemoBooking[] = [];
  for (const instrument of bookable.slice(0, 30)) {
    for (let day = -DEMO_HISTORY_DAYS; day <= 5; day++) {
      // The last 30 days as busy as before; the rest of the year sparser, enough for the annual view and quick to seed.
      if (day === 0 || next() > (day >= -30 ? 0.3 : 0.1)) continue;
      const hours = 1 + Math.floor(next() * 3);
      const startHour = instrument.openFromHour + Math.floor(next() * (instrument.openToHour - instrument.openFromHour - hours));
      const startsAt = new Date(localMidnight + day * DAY_MS + startHour * HOUR_MS);
      const roll = next();
      const statuses: BookingStatus[] =
        day < 0
          ? roll < 0.75 ? ['REQUESTED', 'CONFIRMED', 'COMPLETED'] : roll < 0.85 ? ['REQUESTED', 'CANCELLED'] : roll < 0.95 ? ['REQUESTED', 'REJECTED'] : roll < 0.975 ? ['REQUESTED', 'CONFIRMED'] : ['REQUESTED', 'CONFIRMED', 'NO_SHOW']
          : roll < 0.5 ? ['REQUESTED', 'CONFIRMED'] : roll < 0.9 ? ['REQUESTED'] : ['REQUESTED', 'CANCELLED'];
      const researcher = 1 + Math.floor(next() * 12);
      const requester = pick(REQUESTERS, next());
      const completed = statuses.at(-1) === 'COMPLETED';
      // Arrived up to 15 minutes late and left up to 20 minutes early.
      const actualStart = completed ? new Date(startsAt.getTime() + Math.floor(next() * 4) * 5 * 60_000) : null;
      const actualEnd = completed ? new Date(startsAt.getTime() + hours * HOUR_MS - Math.floor(next() * 5) * 5 * 60_000) : null;
      const rated = completed && next() < 0.6;
      bookings.push({
        id: stableUuid(`${province}:booking:${instrument.code}:${day}`),
        instrumentCode: instrument.code,
        userId: seededUserId(`researcher-${researcher}`),
        userName: `Researcher ${researcher}`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + hours * HOUR_MS),
        purpose: PURPOSES[Math.floor(next() * PURPOSES.length)]!,
        statuses,
        requesterCategory: requester.category,
        requesterInstitution: requester.institutions.length > 0 ? requester.institutions[Math.floor(next() * requester.institutions.length)]! : instrument.institution,
        actualStart,
        actualEnd,
        rating: rated ? { score: 3 + Math.floor(next() * 3) - (next() < 0.1 ? 2 : 0), comment: COMMENTS[Math.floor(next() * COMMENTS.length)]! } : null,
      });
    }
  }
  return bookings;
}

/** The entry whose cumulative share reaches `roll` (0 ≤ roll < 1). */
function pick<T extends { share: number }>(entries: readonly T[], roll: number): T {
  let total = 0;
  for (const entry of entries) {
    total += entry.share;
    if (roll < total) return entry;
  }
  return entries.at(-1)!;
}
