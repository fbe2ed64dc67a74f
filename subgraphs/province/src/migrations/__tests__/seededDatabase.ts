import { PROVINCES } from '../../../../../shared/src';
import { createOwnDatabase, dropOwnDatabase } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { DEMO_SEEDS, seedProvince } from '../../seeds';

type ProvinceDataSource = ReturnType<typeof createProvinceDataSource>;

/**
 * A Sichuan database of the test file's own, migrated and seeded before its tests and dropped after them, for a
 * migration test to take down and up. Returns a getter: the data source exists once `beforeAll` has run.
 */
export function seededDatabase(name: string): () => ProvinceDataSource {
  let dataSource: ProvinceDataSource;
  beforeAll(async () => {
    dataSource = createProvinceDataSource(PROVINCES.sichuan, await createOwnDatabase(name), 1);
    await dataSource.initialize();
    await dataSource.runMigrations();
    await seedProvince(dataSource, DEMO_SEEDS.sichuan);
    // Every migration and the whole demo seed, from nothing: on a busy machine that takes longer than a test.
  }, 120_000);
  afterAll(async () => {
    await dataSource.destroy();
    await dropOwnDatabase(name);
  }, 60_000);
  return () => dataSource;
}

/** Undoes migrations, the latest first, until `migration` (a class name) is no longer applied. */
export async function undoThrough(dataSource: ProvinceDataSource, migration: string): Promise<void> {
  const applied = async () => ((await dataSource.query('SELECT 1 FROM registry_migrations WHERE name = $1', [migration])) as unknown[]).length > 0;
  while (await applied()) await dataSource.undoLastMigration();
}
