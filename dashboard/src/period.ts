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
 * The last `days` complete calendar days in China time: up to yesterday.
 * Today is left out while it is still going on (bookings for it can still
 * be made and cancelled): in the bookings chart it would end the line in a
 * drop that is only the day being unfinished. Whole days, so a day's
 * utilisation is its booked hours over one day's opening hours.
 */
export function completeDaysBefore(now: Date, days: number): Period {
  const to = chinaMidnight(now).getTime();
  return { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString(), days };
}
