import {
  CHINA_DAY_REST_SQL, CHINA_UTC_OFFSET_SQL, chinaDay, chinaMidnight, endOfChinaDay, formatChinaTime, startOfChinaDay,
} from '../chinaTime';

describe('chinaDay', () => {
  it.each([
    ['2026-06-30T15:59:59.999Z', '2026-06-30'],
    ['2026-06-30T16:00:00.000Z', '2026-07-01'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2028-02-28T16:30:00.000Z', '2028-02-29'],
  ])('puts %s on %s', (instant, day) => {
    expect(chinaDay(new Date(instant))).toBe(day);
  });
});

describe('chinaMidnight', () => {
  it('is 16:00 UTC of the day before', () => {
    expect(chinaMidnight(new Date('2026-12-01T01:30:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('keeps an instant that is already a China midnight', () => {
    expect(chinaMidnight(new Date('2026-11-30T16:00:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('moves an instant just before a China midnight to the start of its own day', () => {
    expect(chinaMidnight(new Date('2026-11-30T15:59:59.999Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });
});

describe('startOfChinaDay and endOfChinaDay', () => {
  it('bound a calendar day in UTC+8', () => {
    expect(startOfChinaDay('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(endOfChinaDay('2026-12-01').toISOString()).toBe('2026-12-01T15:59:59.999Z');
  });
});

describe('formatChinaTime', () => {
  it('writes the local wall-clock time and says which', () => {
    expect(formatChinaTime(new Date('2026-12-01T01:30:00Z'))).toBe('2026-12-01 09:30 (UTC+8)');
  });
});

describe('the SQL intervals', () => {
  it('add up to one day', () => {
    expect([CHINA_UTC_OFFSET_SQL, CHINA_DAY_REST_SQL]).toEqual(["interval '8 hours'", "interval '16 hours'"]);
  });
});
