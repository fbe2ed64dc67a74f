import type { DataSource } from 'typeorm';
import type { SubgraphConfig } from '../config/subgraphConfig';
import type { Logger } from '../logging/createLogger';
import { resolveDatabaseUrl } from './resolveDatabaseUrl';

export interface ServiceDatabase {
  readonly dataSource: DataSource;
  /** Closes the pool, then the embedded server if this service started one. */
  close(): Promise<void>;
}

/** Connects a subgraph to its own database and applies pending migrations when configured to. */
export async function openServiceDatabase(
  config: SubgraphConfig,
  role: string,
  createDataSource: (url: string, poolSize: number) => DataSource,
  logger: Logger,
): Promise<ServiceDatabase> {
  const database = await resolveDatabaseUrl(config.database, role, logger);
  const dataSource = createDataSource(database.url, config.databasePoolSize);
  try {
    await dataSource.initialize();
    if (config.migrateOnStart) await dataSource.runMigrations();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
    throw error;
  }
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.close();
    },
  };
}
