/** `npm run migrate:platform [-- --revert]`: applies (or reverts the last of) the platform's migrations. */
import { createLogger, resolveDatabaseUrl, runMigrationCommand } from '../../../shared/src';
import { loadPlatformConfig } from './config';
import { createPlatformDataSource } from './platformDataSource';

async function main() {
  const config = loadPlatformConfig();
  const database = await resolveDatabaseUrl(config.database, 'platform_svc', createLogger('migrate', config.logLevel));
  try {
    await runMigrationCommand('platform', createPlatformDataSource(database.url, 1), process.argv.slice(2));
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`platform migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
