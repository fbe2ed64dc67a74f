import { testSystem } from '../../../../../test/support/system';
import { PROVINCES } from '../../../../../shared/src';
import { createProvinceDataSource } from '../../provinceDataSource';
import { DEMO_SEEDS, seedProvince } from '..';

const TABLES = ['instrument_categories', 'labs', 'lab_partner_instruments', 'instruments', 'talent_cards', 'recognition_catalog'];

describe('seedProvince', () => {
  const dataSource = createProvinceDataSource(PROVINCES.chongqing, testSystem().databaseUrls.chongqing, 1);
  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (table) => [table, Number((await dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n)])),
    );

  it('is idempotent: seeding again (a second npm start) adds and changes nothing', async () => {
    const before = await counts();
    const seed = DEMO_SEEDS.chongqing;
    expect(before).toMatchObject({
      labs: seed.labs.length,
      instruments: seed.instruments.length,
      talent_cards: seed.talentCards.length,
      recognition_catalog: 8,
    });
    const updatedBefore = await dataSource.query('SELECT max(updated_at) AS at FROM instruments');
    await seedProvince(dataSource, seed);
    expect(await counts()).toEqual(before);
    expect(await dataSource.query('SELECT max(updated_at) AS at FROM instruments')).toEqual(updatedBefore);
  });
});
