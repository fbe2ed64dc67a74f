import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { provinceRepositories } from '../../provinceRepositories';
import { BookingEntity } from '../../bookings/BookingEntity';
import { InstrumentEntity } from '../../instruments/InstrumentEntity';
import { LabEntity } from '../../labs/LabEntity';
import { TalentCardEntity } from '../../talentCards/TalentCardEntity';

let dataSource: DataSource;
let repositories: ReturnType<typeof provinceRepositories>;

beforeAll(async () => {
  // The file's own database exists once the system set-up (setupFileSystem.ts) has run.
  dataSource = createProvinceDataSource(PROVINCES.chongqing, testSystem().databaseUrls.chongqing, 2);
  await dataSource.initialize();
  repositories = provinceRepositories(dataSource.manager);
});
afterAll(() => dataSource.destroy());

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Every row of the entity as TypeORM finds it, and as the repository's prepared read by id gives it (plain objects). */
async function bothWays<T extends ObjectLiteral & { id: string }>(target: EntityTarget<T>, byIds: (ids: readonly string[]) => Promise<(T | null)[]>) {
  const viaTypeorm = await dataSource.getRepository(target).find({ order: { id: 'ASC' } as never });
  const prepared = await byIds([UNKNOWN, ...viaTypeorm.map((row) => row.id)]);
  return { viaTypeorm: viaTypeorm.map((row) => ({ ...row })), prepared: prepared.map((row) => (row ? { ...row } : null)) };
}

describe('prepared reads by id', () => {
  // Every column type the registry uses is among these: dates, timestamps, numeric and bigint with transformers, jsonb, arrays, char.
  it.each([
    ['instruments', InstrumentEntity, () => repositories.instruments.findByIds.bind(repositories.instruments)],
    ['labs', LabEntity, () => repositories.labs.findByIds.bind(repositories.labs)],
    ['talent cards', TalentCardEntity, () => repositories.talentCards.findByIds.bind(repositories.talentCards)],
    ['bookings', BookingEntity, () => repositories.bookings.findByIds.bind(repositories.bookings)],
  ] as const)('give %s exactly as TypeORM hydrates them, null for an unknown id', async (_, target, byIds) => {
    const { viaTypeorm, prepared } = await bothWays(target as EntityTarget<{ id: string }>, byIds() as never);
    expect(viaTypeorm.length).toBeGreaterThan(0);
    expect(prepared[0]).toBeNull();
    expect(prepared.slice(1)).toEqual(viaTypeorm);
    // One id at a time: its own statement (`= $1`), the same rows.
    expect(await Promise.all(viaTypeorm.slice(0, 5).map(async (row) => ({ ...(await byIds()([row.id]))[0] })))).toEqual(viaTypeorm.slice(0, 5));
    expect(await byIds()([UNKNOWN])).toEqual([null]);
  });

  it('read one id with "= $1" and several with "= ANY"', async () => {
    const [one] = await dataSource.query('SELECT id FROM instruments ORDER BY id LIMIT 1');
    const sent: string[] = [];
    const logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      sent.push(query);
      return logQuery(query, parameters, runner);
    };
    try {
      await repositories.instruments.findByIds([one.id]);
      await repositories.instruments.findByIds([one.id, UNKNOWN]);
    } finally {
      logger.logQuery = logQuery;
    }
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/WHERE e\.id = \$1::uuid$/);
    expect(sent[1]).toMatch(/WHERE e\.id = ANY\(\$1::uuid\[\]\)$/);
  });
});

describe('a set of repositories (provinceRepositories)', () => {
  it('makes each repository when first used, once, and none it is not asked for', () => {
    const set = provinceRepositories(dataSource.manager);
    expect(Object.keys(set)).toEqual([]);
    const instruments = set.instruments;
    expect(set.instruments).toBe(instruments);
    expect(set.bookings).toBe(set.bookings);
    expect(Object.keys(set).sort()).toEqual(['bookings', 'instruments']);
    // Another set (another transaction's) has repositories of its own.
    expect(provinceRepositories(dataSource.manager).instruments).not.toBe(instruments);
  });
});
