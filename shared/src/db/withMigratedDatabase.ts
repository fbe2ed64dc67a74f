import type { DataSource } from 'typeorm';

/**
 * Runs `use` on a service's database once it is known to be fully migrated,
 * then closes it. Operators' commands write rows the migrations' tables hold:
 * on a database that lags behind they would fail halfway with SQL errors, so
 * they stop first and say which command brings it up to date.
 */
export async function withMigratedDatabase<T>(owner: string, dataSource: DataSource, use: (dataSource: DataSource) => Promise<T>): Promise<T> {
  await dataSource.initialize();
  try {
    if (await dataSource.showMigrations()) {
      throw new Error(`the ${owner} database has migrations still to apply: run \`npm run admin -- migrate ${owner}\` first`);
    }
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
