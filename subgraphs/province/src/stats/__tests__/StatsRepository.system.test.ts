import type { DataSource } from 'typeorm';
import type { Pool, QueryConfig } from 'pg';
import { PROVINCES } from '../../../../../shared/src';
import { StatementLog, testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { StatsRepository } from '../StatsRepository';

const DAY_MS = 86_400_000;
const log = new StatementLog();
let dataSource: DataSource;
let stats: StatsRepository;

beforeAll(async () => {
  // The file's own database exists once the system set-up (setupFileSystem.ts) has run.
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 1);
  dataSource.setOptions({ logging: ['query'], logger: log });
  stats = new StatsRepository(dataSource);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

describe('StatsRepository', () => {
  it('reads every figure with one prepared statement (one snapshot), whatever the period', async () => {
    // The repository sends its statement straight to TypeORM's pg pool (named, so it is prepared once per connection).
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const sent: { name?: string; text: string }[] = [];
    const query = pool.query.bind(pool) as (config: QueryConfig) => Promise<unknown>;
    const spy = jest.spyOn(pool, 'query').mockImplementation(((config: QueryConfig) => {
      sent.push({ name: config.name, text: config.text });
      return query(config);
    }) as never);
    try {
      for (const days of [1, 30, 366]) {
        sent.length = 0;
        log.statements = [];
        const to = new Date();
        const rows = await stats.read({ from: new Date(to.getTime() - days * DAY_MS), to }, to);
        expect(rows.bookingsPerDay.length).toBeGreaterThanOrEqual(days);
        // The snapshot's look-up, then the figures.
        expect(sent.map((statement) => statement.name)).toEqual(['current-snapshot', 'province-stats']);
        expect(log.statements).toEqual([]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('reads the same period again only once the database has committed something, and then sees it', async () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const sent: (string | undefined)[] = [];
    const query = pool.query.bind(pool) as (config: QueryConfig) => Promise<unknown>;
    const spy = jest.spyOn(pool, 'query').mockImplementation(((config: QueryConfig) => {
      sent.push(config.name);
      return query(config);
    }) as never);
    const to = new Date('2030-01-01T00:00:00+08:00');
    const period = { from: new Date(to.getTime() - 30 * DAY_MS), to };
    try {
      const before = await stats.read(period, to);
      // Reading, in a transaction of its own too, commits nothing.
      await dataSource.transaction((manager) => manager.query('SELECT count(*) FROM labs'));
      expect(await stats.read(period, to)).toEqual(before);
      expect(sent.filter((name) => name === 'province-stats')).toHaveLength(1);

      await dataSource.query(
        "INSERT INTO labs (id, code, name, name_zh, institution, city, level, jointly_built, partner_province) VALUES (gen_random_uuid(), 'SNAPSHOT-LAB', 'Snapshot lab', '快照实验室', 'SCU', 'Chengdu', 'PROVINCIAL', true, 'chongqing')",
      );
      const after = await stats.read(period, to);
      expect(sent.filter((name) => name === 'province-stats')).toHaveLength(2);
      expect([after.labs, after.jointLabs]).toEqual([before.labs + 1, before.jointLabs + 1]);
    } finally {
      spy.mockRestore();
    }
  });

  it('counts a day without bookings as zero hours, not as fully booked', async () => {
    // Bookings are never made this far back: every day of the period is empty.
    const from = new Date('1990-01-01T00:00:00+08:00');
    const rows = await stats.read({ from, to: new Date(from.getTime() + 3 * DAY_MS) }, new Date());
    expect(rows.bookingsPerDay).toEqual([
      { day: '1990-01-01', bookings: 0, bookedHours: 0, usedHours: 0 },
      { day: '1990-01-02', bookings: 0, bookedHours: 0, usedHours: 0 },
      { day: '1990-01-03', bookings: 0, bookedHours: 0, usedHours: 0 },
    ]);
    expect(rows.utilisation.every((row) => row.bookedHours === 0 && row.usedHours === 0)).toBe(true);
  });

  it('counts each instrument in service with its own opening hours on every day of the period', async () => {
    const from = new Date('2030-03-01T00:00:00+08:00');
    const period = { from, to: new Date(from.getTime() + 7 * DAY_MS) };
    const openingHours = async () =>
      Object.fromEntries(
        (await dataSource.query(`SELECT category_code AS category, sum(open_to_hour - open_from_hour)::int * 7 AS hours
                                   FROM instruments WHERE status = 'IN_SERVICE' GROUP BY 1`)).map((r: { category: string; hours: number }) => [r.category, r.hours]),
      );
    // Other test files add instruments meanwhile: compare only when nothing changed around the read.
    for (let attempt = 0; attempt < 30; attempt++) {
      const before = await openingHours();
      const rows = await stats.read(period, new Date());
      if (JSON.stringify(before) !== JSON.stringify(await openingHours())) continue;
      const open = Object.fromEntries(rows.utilisation.filter((row) => row.openHours > 0).map((row) => [row.category, row.openHours]));
      expect(open).toEqual(before);
      expect(Object.keys(open).length).toBeGreaterThan(3);
      return;
    }
    throw new Error('instruments kept changing');
  });
});
