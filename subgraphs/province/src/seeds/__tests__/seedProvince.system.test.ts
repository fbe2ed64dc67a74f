import { PROVINCES } from '../../../../../shared/src';
import { createOwnDatabase, dropOwnDatabase } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { DEMO_SEEDS, seedProvince } from '..';

const TABLES = ['instrument_categories', 'labs', 'lab_partner_instruments', 'instruments', 'talent_cards', 'recognition_catalog', 'bookings', 'booking_events'];

/** A database of its own, so other test files writing to Chongqing's cannot change the counts. */
const DATABASE = 'seed_idempotency';

describe('seedProvince', () => {
  let dataSource: ReturnType<typeof createProvinceDataSource>;

  beforeAll(async () => {
    dataSource = createProvinceDataSource(PROVINCES.chongqing, await createOwnDatabase(DATABASE), 1);
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropOwnDatabase(DATABASE);
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (table) => [table, Number((await dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n)])),
    );

  it('is idempotent: seeding again (a second npm start) adds and changes nothing', async () => {
    const seed = DEMO_SEEDS.chongqing;
    await seedProvince(dataSource, seed);
    const first = await counts();
    expect(first).toMatchObject({
      labs: seed.labs.length,
      instruments: seed.instruments.length,
      talent_cards: seed.talentCards.length,
      recognition_catalog: 8,
    });
    expect(first['bookings']).toBeGreaterThan(50);
    const updatedBefore = await dataSource.query('SELECT max(updated_at) AS at FROM instruments');

    await seedProvince(dataSource, seed);
    expect(await counts()).toEqual(first);
    expect(await dataSource.query('SELECT max(updated_at) AS at FROM instruments')).toEqual(updatedBefore);
  });
});
