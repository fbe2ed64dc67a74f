import { PROVINCE_KEYS, PROVINCE_TABLE, partnerKeyOf, type ProvinceRow } from '../provinceTable';

describe('PROVINCE_TABLE', () => {
  it.each(['key', 'code', 'typePrefix', 'idPrefix', 'cardNumberPrefix', 'defaultPort'] as const)('gives every province its own %s', (column) => {
    const values = PROVINCE_TABLE.map((row: ProvinceRow) => row[column]);
    expect(new Set(values).size).toBe(values.length);
  });

  it('names as partner another province of the table, whose partner it is in turn', () => {
    for (const key of PROVINCE_KEYS) {
      const partner = partnerKeyOf(key);
      expect(partner).not.toBe(key);
      expect(PROVINCE_KEYS).toContain(partner);
      expect(partnerKeyOf(partner)).toBe(key);
    }
  });

  it('spells each name so it can be used in GraphQL type names and in environment variables', () => {
    for (const row of PROVINCE_TABLE) {
      expect(row.key).toMatch(/^[a-z]+$/);
      expect(row.typePrefix.toLowerCase()).toBe(row.key);
      expect(row.code).toBe(row.key.toUpperCase());
    }
  });
});
