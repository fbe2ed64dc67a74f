/** `PROVINCE=sichuan npm run migrate:province [-- --revert]`: applies (or reverts the last of) a province's migrations. */
import { createLogger, resolveDatabaseUrl, runMigrationCommand } from '../../../shared/src';
import { loadProvinceConfig } from './config';
import { createProvinceDataSource } from './provinceDataSource';

async function main() {
  const config = loadProvinceConfig();
  const database = await resolveDatabaseUrl(config.database, `${config.province.key}_svc`, createLogger('migrate', config.logLevel));
  try {
    await runMigrationCommand(config.province.key, createProvinceDataSource(config.province, database.url, 1), process.argv.slice(2));
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`province migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
