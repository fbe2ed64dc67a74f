import { chinaMidnight, DAY_MS } from '../../../../shared/src';

export interface Period {
  readonly start: Date;
  readonly end: Date;
}

const HALF_HOUR_MS = 1_800_000;

/**
 * Free periods of an instrument between `from` and `to`: its opening hours on
 * each local day, minus the periods already taken, minus the past.
 */
export function freeSlots(
  opening: { openFromHour: number; openToHour: number },
  taken: readonly Period[],
  from: Date,
  to: Date,
  now: Date,
): Period[] {
  const sorted = [...taken].sort((a, b) => a.start.getTime() - b.start.getTime());
  // Bookings start on whole or half hours, so free time starts on one too.
  const lower = Math.ceil(Math.max(from.getTime(), now.getTime()) / HALF_HOUR_MS) * HALF_HOUR_MS;
  const slots: Period[] = [];
  for (let midnight = chinaMidnight(from).getTime(); midnight < to.getTime(); midnight += DAY_MS) {
    let cursor = Math.max(midnight + opening.openFromHour * 3_600_000, lower);
    const close = Math.min(midnight + opening.openToHour * 3_600_000, to.getTime());
    for (const period of sorted) {
      if (period.end.getTime() <= cursor || period.start.getTime() >= close) continue;
      if (period.start.getTime() > cursor) slots.push({ start: new Date(cursor), end: period.start });
      cursor = Math.max(cursor, period.end.getTime());
    }
    if (cursor < close) slots.push({ start: new Date(cursor), end: new Date(close) });
  }
  return slots;
}
