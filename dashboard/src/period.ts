// The module itself, not the shared index: the page is bundled for the browser.
import { chinaMidnight, DAY_MS } from '../../shared/src/browser';

export interface Period {
  /** ISO instants: [from, to) covers whole calendar days in UTC+8. */
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

/** Choices of the period filter, in days; the API allows at most 366. */
export const PERIOD_CHOICES = [7, 30, 90, 365] as const;

/**
 * The last `days` calendar days in China time, today included. Whole days,
 * so every day of the bookings chart is complete and a day's utilisation is
 * its booked hours over one day's opening hours.
 */
export function periodEndingToday(days: number, now: Date = new Date()): Period {
  const todayStart = chinaMidnight(now).getTime();
  const to = todayStart + DAY_MS;
  return { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString(), days };
}
