import fs from 'node:fs';
import { PROVINCE_KEYS, PROVINCES, partnerOf } from '../../../../../shared/src';
import { loadProvinceSeed, seedFileOf } from '../loadProvinceSeed';
import { provinceSeedSchema } from '../provinceSeedSchema';

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
    const seed = loadProvinceSeed(key);
    const partner = loadProvinceSeed(partnerOf(PROVINCES[key]).key);
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
  const seed = () => JSON.parse(JSON.stringify(loadProvinceSeed('sichuan'))) as Record<string, never> & { instruments: Record<string, unknown>[]; talentCards: Record<string, unknown>[] };

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
