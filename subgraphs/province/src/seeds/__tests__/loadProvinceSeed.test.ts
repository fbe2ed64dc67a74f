import fs from 'node:fs';
import { PROVINCE_KEYS, PROVINCES, partnerOf, type ProvinceKey } from '../../../../../shared/src';
import { loadProvinceSeed, seedFileOf } from '../loadProvinceSeed';
import { provinceSeedSchema, type ProvinceSeed } from '../provinceSeedSchema';

/** Each province's seed, loaded once for the tests that only read it (checking a seed against the schema takes a while). */
const loaded = new Map<ProvinceKey, ProvinceSeed>();
const seedOf = (key: ProvinceKey): ProvinceSeed => loaded.get(key) ?? loaded.set(key, loadProvinceSeed(key)).get(key)!;

describe('loadProvinceSeed', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(PROVINCE_KEYS.map((key) => [key]))("reads %s's own seed file and no other province's", (key) => {
    const read = jest.spyOn(fs, 'readFileSync');
    const seed = loadProvinceSeed(key);
    expect(seed.province).toBe(key);
    expect(seed.instruments.length).toBeGreaterThan(20);
    const files = read.mock.calls.map(([file]) => String(file));
    expect(files).toContain(seedFileOf(key));
    for (const other of PROVINCE_KEYS.filter((k) => k !== key)) expect(files).not.toContain(seedFileOf(other));
  });

  it.each(PROVINCE_KEYS.map((key) => [key]))('keeps the references in the %s seed pointing at rows that exist', (key) => {
    const seed = seedOf(key);
    const partner = seedOf(partnerOf(PROVINCES[key]).key);
    const labs = new Set(seed.labs.map((lab) => lab.code));
    const categories = new Set(seed.categories.map((category) => category.code));
    for (const instrument of seed.instruments) {
      if (instrument.labCode !== null) expect(labs).toContain(instrument.labCode);
      expect(categories).toContain(instrument.category);
    }
    const partnerInstruments = new Set(partner.instruments.map((instrument) => instrument.code));
    for (const lab of seed.labs) for (const code of lab.partnerInstrumentCodes) expect(partnerInstruments).toContain(code);
  });
});

describe('provinceSeedSchema', () => {
  const seed = () => JSON.parse(JSON.stringify(seedOf('sichuan'))) as Record<string, never> & { instruments: Record<string, unknown>[]; talentCards: Record<string, unknown>[] };

  it('lists each voucher payment across the border alike in both provinces, on a charge and a voucher that can carry it', () => {
    const seeds = Object.fromEntries(PROVINCE_KEYS.map((key) => [key, seedOf(key)]));
    const payments = PROVINCE_KEYS.flatMap((key) => seeds[key]!.voucherPayments);
    expect(payments.length).toBeGreaterThan(0);
    for (const payment of payments) {
      // Each side writes only its own rows: both must know the payment the same way.
      expect(seeds[payment.issuer]!.voucherPayments).toContainEqual(payment);
      expect(seeds[payment.servingProvince]!.voucherPayments).toContainEqual(payment);
      const request = seeds[payment.servingProvince]!.serviceRequests.find((r) => r.code === payment.serviceRequestCode)!;
      expect(request).toMatchObject({ requesterUsername: payment.holderUsername, quoteFen: payment.chargeAmountFen });
      expect(request.statuses).toContain('REPORT_ISSUED');
      // Paid after the report was issued (one day per step).
      expect(request.submittedDaysAgo - request.statuses.indexOf('REPORT_ISSUED')).toBeGreaterThan(payment.capturedDaysAgo);
      const voucher = seeds[payment.issuer]!.vouchers.find((v) => v.code === payment.voucherCode)!;
      expect(voucher).toMatchObject({ holderUsername: payment.holderUsername });
      expect(voucher.acceptedIn).toContain(payment.servingProvince);
      expect(payment.amountFen).toBeLessThanOrEqual(Math.floor((payment.chargeAmountFen * voucher.maxSharePercent) / 100));
    }
    for (const key of PROVINCE_KEYS) {
      for (const voucher of seeds[key]!.vouchers) {
        const spent = seeds[key]!.voucherPayments.filter((p) => p.issuer === key && p.voucherCode === voucher.code).reduce((sum, p) => sum + p.amountFen, 0);
        expect(spent).toBeLessThanOrEqual(voucher.amountFen);
      }
    }
  });

  it('refuses a value outside its set, a date that is not an ISO date and an unknown field, naming where', () => {
    const badStatus = seed();
    badStatus.instruments[0]!['status'] = 'BROKEN';
    expect(provinceSeedSchema.safeParse(badStatus).error?.issues[0]?.path).toEqual(['instruments', 0, 'status']);
    const badDate = seed();
    badDate.talentCards[0]!['validUntil'] = '31/12/2027';
    expect(provinceSeedSchema.safeParse(badDate).error?.issues[0]?.path).toEqual(['talentCards', 0, 'validUntil']);
    const extra = seed();
    extra.instruments[0]!['colour'] = 'red';
    expect(provinceSeedSchema.safeParse(extra).success).toBe(false);
  });

  it('refuses two instruments with one code', () => {
    const twice = seed();
    twice.instruments.push(twice.instruments[0]!);
    expect(provinceSeedSchema.safeParse(twice).error?.issues[0]?.message).toMatch(/unique/);
  });
});
