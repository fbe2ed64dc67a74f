import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** The pg pool under a TypeORM data source (its driver's `master`). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Runs a statement that is sent often as a named one: pg prepares it once per connection, and PostgreSQL plans it
 * from then on as a prepared statement instead of parsing and planning its text each time (the outbox workers' claims
 * planned in 0.3–0.5 ms and ran in less). Outside a transaction the statement goes to the pool; inside one it goes
 * as text over the transaction's connection, where a name would gain little.
 */
export async function namedQuery<Row>(manager: EntityManager, name: string, text: string, values: readonly unknown[]): Promise<Row[]> {
  if (manager.queryRunner) return manager.query(text, [...values]);
  const { rows } = await poolOf(manager.connection).query({ name, text, values: [...values] });
  return rows as Row[];
}
