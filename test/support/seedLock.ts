import { Client } from 'pg';
import { testSystem } from './system';

/** Any fixed number: the key of the advisory lock below. */
const SEED_LOCK_KEY = 7_420_001;

/**
 * Test files run in parallel (separate jest workers) against one system. A
 * test that changes shared seed data for a moment (e.g. removes a recognition
 * item and puts it back) holds this lock as `change`; tests that assert on that
 * data hold it as `read`, so they never see the moment in between. A
 * PostgreSQL advisory lock, because workers are separate processes.
 * Returns the release function.
 */
export async function lockSeedData(mode: 'read' | 'change'): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: testSystem().postgresAdminUrl });
  await client.connect();
  await client.query(mode === 'read' ? 'SELECT pg_advisory_lock_shared($1)' : 'SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
  // Session-level lock: ending the connection releases it.
  return () => client.end();
}
