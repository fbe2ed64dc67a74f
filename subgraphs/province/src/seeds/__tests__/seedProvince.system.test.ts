import { PROVINCES } from '../../../../../shared/src';
import { createOwnDatabase, dropOwnDatabase } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { DEMO_SEEDS, seedProvince } from '..';

const TABLES = [
  'instrument_categories', 'labs', 'lab_partner_instruments', 'instruments', 'talent_cards', 'recognition_catalog', 'bookings', 'booking_events',
  'offerings', 'offering_prices', 'service_requests', 'service_request_events', 'service_reports', 'charges', 'charge_lines',
];

/** A database of its own, so other test files writing to Chongqing's cannot change the counts. */
const DATABASE = 'seed_idempotency';

describe('seedProvince', () => {
  let dataSource: ReturnType<typeof createProvinceDataSource>;

  beforeAll(async () => {
    dataSource = createProvinceDataSource(PROVINCES.chongqing, await createOwnDatabase(DATABASE), 1);
    await dataSource.initialize();
    await dataSource.runMigrations();
  }, 120_000);

  afterAll(async () => {
    await dataSource.destroy();
    await dropOwnDatabase(DATABASE);
  }, 60_000);

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
      offerings: seed.offerings.length,
      service_requests: seed.serviceRequests.length,
    });
    // Every completed demo booking and every request past its report is charged, from the price it recorded.
    const [completed] = await dataSource.query("SELECT count(*)::int AS n FROM bookings WHERE status = 'COMPLETED' AND price_total_fen IS NOT NULL");
    const [charged] = await dataSource.query("SELECT count(*)::int AS n FROM charges WHERE source = 'BOOKING'");
    expect(charged.n).toBe(completed.n);
    // Seeded history is dated as it happened, a day per step, not at the moment of seeding.
    const [dated] = await dataSource.query("SELECT count(*)::int AS n FROM service_requests WHERE created_at < now() - interval '1 day'");
    expect(dated.n).toBe(seed.serviceRequests.length);
    const [lastSteps] = await dataSource.query("SELECT count(DISTINCT at)::int AS n FROM service_request_events");
    expect(lastSteps.n).toBeGreaterThan(seed.serviceRequests.length);
    expect(first['charges']).toBe(completed.n + seed.serviceRequests.filter((r) => r.statuses.includes('REPORT_ISSUED')).length);
    expect(first['bookings']).toBeGreaterThan(50);
    const updatedBefore = await dataSource.query('SELECT max(updated_at) AS at FROM instruments');

    await seedProvince(dataSource, seed);
    expect(await counts()).toEqual(first);
    expect(await dataSource.query('SELECT max(updated_at) AS at FROM instruments')).toEqual(updatedBefore);
  }, 120_000);
});
