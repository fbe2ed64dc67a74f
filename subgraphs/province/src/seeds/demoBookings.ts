import { chinaMidnight, DAY_MS, HOUR_MS, seededUserId, stableUuid, type ProvinceKey } from '../../../../shared/src';
import type { BookingStatus } from '../domain/registryTypes';
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
}

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

/**
 * Realistic bookings around `today` (the day the demo was first seeded):
 * completed, cancelled and rejected ones on the 30 days before it, so the
 * dashboard's default period (the last 30 complete days) has history from
 * its first day; confirmed and requested ones in the next five days. At most
 * one booking per instrument and day, so they never overlap. Kept off the
 * demo accounts, whose bookings are the user's own to make.
 */
export function demoBookings(province: ProvinceKey, instruments: readonly SeedInstrument[], today: Date): DemoBooking[] {
  const next = random([...province].reduce((hash, char) => hash * 31 + char.charCodeAt(0), 7));
  const localMidnight = chinaMidnight(today).getTime();
  const bookable = instruments.filter((i) => i.openForSharing && i.status === 'IN_SERVICE' && i.openToHour - i.openFromHour >= 4);
  const bookings: DemoBooking[] = [];
  for (const instrument of bookable.slice(0, 30)) {
    for (let day = -30; day <= 5; day++) {
      if (day === 0 || next() > 0.3) continue;
      const hours = 1 + Math.floor(next() * 3);
      const startHour = instrument.openFromHour + Math.floor(next() * (instrument.openToHour - instrument.openFromHour - hours));
      const startsAt = new Date(localMidnight + day * DAY_MS + startHour * HOUR_MS);
      const roll = next();
      const statuses: BookingStatus[] =
        day < 0
          ? roll < 0.75 ? ['REQUESTED', 'CONFIRMED', 'COMPLETED'] : roll < 0.85 ? ['REQUESTED', 'CANCELLED'] : roll < 0.95 ? ['REQUESTED', 'REJECTED'] : ['REQUESTED', 'CONFIRMED']
          : roll < 0.5 ? ['REQUESTED', 'CONFIRMED'] : roll < 0.9 ? ['REQUESTED'] : ['REQUESTED', 'CANCELLED'];
      const researcher = 1 + Math.floor(next() * 12);
      bookings.push({
        id: stableUuid(`${province}:booking:${instrument.code}:${day}`),
        instrumentCode: instrument.code,
        userId: seededUserId(`researcher-${researcher}`),
        userName: `Researcher ${researcher}`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + hours * HOUR_MS),
        purpose: PURPOSES[Math.floor(next() * PURPOSES.length)]!,
        statuses,
      });
    }
  }
  return bookings;
}
