import { join } from 'node:path';
import { readOrCreateSecret } from '../config/readOrCreateSecret';
import type { Logger } from '../logging/createLogger';
import type { DatabaseConfig } from './databaseConfig';
import { startEmbeddedPostgres } from './embeddedPostgres';
import { provisionDatabase } from './provisionDatabase';

export interface ResolvedDatabase {
  readonly url: string;
  /** Stops the embedded server this service started, if any. */
  close(): Promise<void>;
}

/**
 * An external `DATABASE_URL` is used as it is. Otherwise the service starts its
 * own embedded PostgreSQL and a database and role of its own in it: this is how
 * one subgraph runs alone with nothing installed.
 */
export async function resolveDatabaseUrl(config: DatabaseConfig, role: string, logger: Logger): Promise<ResolvedDatabase> {
  if (config.kind === 'external') return { url: config.url, close: async () => undefined };
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.port, logger });
  try {
    const password = await readOrCreateSecret(join(config.dataDir, `${role}-password`));
    const url = await provisionDatabase(server.adminUrl, { database: config.database, role, password });
    return { url, close: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
