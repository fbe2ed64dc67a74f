import type { DataSource } from 'typeorm';

/**
 * The body of a service's `migrate` command: apply pending migrations, or with
 * `--revert` undo the last one. Production runs this once per deploy, before
 * the new version starts (with MIGRATE_ON_START=false on the replicas).
 */
export async function runMigrationCommand(service: string, dataSource: DataSource, argv: readonly string[]): Promise<void> {
  await dataSource.initialize();
  try {
    if (argv.includes('--revert')) {
      await dataSource.undoLastMigration();
      process.stdout.write(`${service}: reverted the last migration\n`);
      return;
    }
    const applied = await dataSource.runMigrations();
    process.stdout.write(
      applied.length === 0
        ? `${service}: database is up to date\n`
        : `${service}: applied ${applied.map((migration) => migration.name).join(', ')}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}
