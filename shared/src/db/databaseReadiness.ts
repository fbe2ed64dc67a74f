import type { DataSource } from 'typeorm';
import type { ReadinessReport } from '../http/cacheReadiness';

/**
 * A subgraph is ready while its database answers. Down, it says so without
 * the driver's message (which names the database's address), and becomes
 * ready again by itself: the pool drops dead connections and opens new ones.
 */
export async function databaseReadiness(dataSource: DataSource): Promise<ReadinessReport> {
  try {
    await dataSource.query('SELECT 1');
    return { ready: true, checks: { database: 'up' } };
  } catch {
    return { ready: false, checks: { database: 'down' } };
  }
}
