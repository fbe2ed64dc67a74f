import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { MetricsRegistry } from './createMetricsRegistry';

/** The counters node-postgres keeps on its pool. */
interface PgPoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options?: { readonly max?: number };
}

/**
 * The service's PostgreSQL pool, read at scrape time (a `collect` callback)
 * from TypeORM's `driver.master` pg Pool: connections open, idle, and queries
 * waiting for a connection. Waiting above zero for long means
 * DATABASE_POOL_SIZE is too small for the load (README, "Running in production").
 */
export function registerDatabasePoolMetrics(registry: MetricsRegistry, dataSource: DataSource): void {
  const pool = (): PgPoolCounts | undefined =>
    dataSource.isInitialized ? ((dataSource.driver as unknown as { master?: PgPoolCounts }).master ?? undefined) : undefined;
  const gauge = (name: string, help: string, read: (counts: PgPoolCounts) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const counts = pool();
        this.set(counts ? (read(counts) ?? 0) : 0);
      },
    });
  gauge('db_pool_connections', 'Connections the database pool holds open (pg Pool totalCount).', (counts) => counts.totalCount);
  gauge('db_pool_idle_connections', 'Open connections not in use (pg Pool idleCount).', (counts) => counts.idleCount);
  gauge('db_pool_waiting_requests', 'Queries waiting for a free connection (pg Pool waitingCount).', (counts) => counts.waitingCount);
  gauge('db_pool_max_connections', 'Most connections the pool may open (DATABASE_POOL_SIZE).', (counts) => counts.options?.max);
}
