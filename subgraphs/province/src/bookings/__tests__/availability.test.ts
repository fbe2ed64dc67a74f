import { freeSlots } from '../availability';

const at = (iso: string) => new Date(iso);
const slot = (start: string, end: string) => ({ start: at(start), end: at(end) });
const opening = { openFromHour: 9, openToHour: 17 };
// 2026-12-01 09:00 in UTC+8 is 01:00Z.
const DAY_FROM = at('2026-11-30T16:00:00Z');
const DAY_TO = at('2026-12-01T16:00:00Z');
const LONG_AGO = at('2026-01-01T00:00:00Z');

describe('freeSlots', () => {
  it('is the whole opening period of a day with no bookings', () => {
    expect(freeSlots(opening, [], DAY_FROM, DAY_TO, LONG_AGO)).toEqual([slot('2026-12-01T01:00:00Z', '2026-12-01T09:00:00Z')]);
  });

  it('leaves out booked periods, including ones that start before opening', () => {
    const taken = [slot('2026-12-01T04:00:00Z', '2026-12-01T05:00:00Z'), slot('2026-11-30T23:00:00Z', '2026-12-01T02:00:00Z')];
    expect(freeSlots(opening, taken, DAY_FROM, DAY_TO, LONG_AGO)).toEqual([
      slot('2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z'),
      slot('2026-12-01T05:00:00Z', '2026-12-01T09:00:00Z'),
    ]);
  });

  it('has nothing left when bookings cover the day back to back', () => {
    const taken = [slot('2026-12-01T01:00:00Z', '2026-12-01T05:00:00Z'), slot('2026-12-01T05:00:00Z', '2026-12-01T09:00:00Z')];
    expect(freeSlots(opening, taken, DAY_FROM, DAY_TO, LONG_AGO)).toEqual([]);
  });

  it('starts no earlier than now, rounded up to the next half hour', () => {
    expect(freeSlots(opening, [], DAY_FROM, DAY_TO, at('2026-12-01T03:10:00Z'))).toEqual([slot('2026-12-01T03:30:00Z', '2026-12-01T09:00:00Z')]);
  });

  it('covers each day of a longer range and clips to the range', () => {
    const slots = freeSlots(opening, [], at('2026-12-01T03:00:00Z'), at('2026-12-03T02:00:00Z'), LONG_AGO);
    expect(slots).toEqual([
      slot('2026-12-01T03:00:00Z', '2026-12-01T09:00:00Z'),
      slot('2026-12-02T01:00:00Z', '2026-12-02T09:00:00Z'),
      slot('2026-12-03T01:00:00Z', '2026-12-03T02:00:00Z'),
    ]);
  });

  it('handles round-the-clock instruments', () => {
    expect(freeSlots({ openFromHour: 0, openToHour: 24 }, [], DAY_FROM, DAY_TO, LONG_AGO)).toEqual([slot('2026-11-30T16:00:00Z', '2026-12-01T16:00:00Z')]);
  });
});
