import 'reflect-metadata';
import { DataSource, type MigrationInterface, type MixedList, type EntitySchema } from 'typeorm';
import { PreparingClient } from './preparingClient';

export interface DataSourceOptions {
  readonly url: string;
  readonly entities: MixedList<Function | string | EntitySchema>;
  readonly migrations: MixedList<Function | string> & (new () => MigrationInterface)[];
  /** Named per service so two services never share migration history by accident. */
  readonly migrationsTableName: string;
  readonly poolSize: number;
  readonly applicationName: string;
}

/**
 * A TypeORM data source for one service's own database. The schema changes
 * only through migrations: `synchronize` stays off everywhere.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: options.migrationsTableName,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    extra: {
      // Statements with parameters are prepared once per connection rather than parsed and planned on every call.
      Client: PreparingClient,
      max: options.poolSize,
      // Fail fast rather than queue forever when the database is down.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // A statement running longer than this is a bug or an attack; stop it.
      statement_timeout: 15_000,
    },
  });
}
