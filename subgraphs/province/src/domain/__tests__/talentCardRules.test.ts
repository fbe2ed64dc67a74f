import { PROVINCES } from '../../../../../shared/src';
import { addYears, cstDay, formatCardNumber } from '../talentCardRules';

describe('cstDay', () => {
  it.each([
    ['2026-12-31T15:59:59.999Z', '2026-12-31'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2026-06-30T23:30:00+08:00', '2026-06-30'],
    ['2026-06-30T20:00:00-05:00', '2026-07-01'],
  ])('puts %s on %s in China Standard Time', (instant, day) => {
    expect(cstDay(new Date(instant))).toBe(day);
  });
});

describe('addYears', () => {
  it('keeps the calendar day', () => {
    expect(addYears('2026-11-25', 10)).toBe('2036-11-25');
  });

  it('rolls 29 February over to 1 March in a common year', () => {
    expect(addYears('2028-02-29', 10)).toBe('2038-03-01');
  });
});

describe('formatCardNumber', () => {
  it('writes prefix, year of issue and six digits, as each province prints them', () => {
    expect(formatCardNumber(PROVINCES.sichuan, '2026-11-25', 700_001)).toBe('TF-2026-700001');
    expect(formatCardNumber(PROVINCES.chongqing, '2027-01-01', 42)).toBe('CQ-RC-2027-000042');
  });
});
