import { priceAtHour, priceOfPeriod, priceOfUnits, type PriceEntry } from '../pricing';

const prices: PriceEntry[] = [
  { category: 'ENTERPRISE', band: 'STANDARD', fromHour: null, toHour: null, amountFen: 30_001 },
  { category: 'ENTERPRISE', band: 'EVENING', fromHour: 18, toHour: 22, amountFen: 20_000 },
  { category: 'INTERNAL', band: 'STANDARD', fromHour: null, toHour: null, amountFen: 5_000 },
];
/** `hour`:`minute` in China (UTC+8) on 1 June 2026. */
const local = (hour: number, minute = 0) => new Date(Date.UTC(2026, 5, 1, hour - 8, minute));

describe('priceAtHour', () => {
  it('takes the band covering the local hour, else the standard price, else none', () => {
    expect(priceAtHour(prices, 'ENTERPRISE', 19)?.band).toBe('EVENING');
    expect(priceAtHour(prices, 'ENTERPRISE', 22)?.band).toBe('STANDARD');
    expect(priceAtHour(prices, 'INTERNAL', 19)?.band).toBe('STANDARD');
    expect(priceAtHour(prices, 'OWN_PROVINCE_ACADEMIC', 10)).toBeNull();
  });
});

describe('priceOfPeriod', () => {
  it('prices each half hour in its band, one line per band, rounding each line half up to the fen', () => {
    expect(priceOfPeriod(prices, 'ENTERPRISE', local(17), local(19, 30))).toEqual({
      category: 'ENTERPRISE',
      lines: [
        { band: 'STANDARD', quantity: '1', unitFen: 30_001, amountFen: 30_001 },
        { band: 'EVENING', quantity: '1.5', unitFen: 20_000, amountFen: 30_000 },
      ],
      totalFen: 60_001,
    });
    // Half an hour at 300.01 yuan an hour is 15000.5 fen: 15001.
    expect(priceOfPeriod(prices, 'ENTERPRISE', local(9), local(9, 30))!.totalFen).toBe(15_001);
  });

  it('is null when the category has no price for some half hour', () => {
    expect(priceOfPeriod(prices, 'OTHER_PROVINCE_ACADEMIC', local(9), local(10))).toBeNull();
  });
});

describe('priceOfUnits', () => {
  it('multiplies the standard price exactly, in integers', () => {
    expect(priceOfUnits(prices, 'ENTERPRISE', 1000)).toMatchObject({ totalFen: 30_001_000, lines: [{ quantity: '1000', unitFen: 30_001 }] });
    expect(priceOfUnits(prices, 'OWN_PROVINCE_ACADEMIC', 3)).toBeNull();
  });
});
