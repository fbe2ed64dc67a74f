import { Client } from 'pg';
import { provisionDatabase } from '../../shared/src';
import { testSystem } from './system';

/*
 * A database of a test file's own on the test cluster, empty, for a test that
 * changes its schema or counts every row, which the file's system databases
 * (written to by its other tests) would not allow. Named per process, so
 * parallel workers never share one.
 */

/** Creates it (and its role) and answers its URL. */
export function createOwnDatabase(name: string): Promise<string> {
  return provisionDatabase(testSystem().postgresAdminUrl, { database: `${name}_${process.pid}`, role: `${name}_svc`, password: `${name}-password` });
}

/** Drops it, once every connection to it is closed. */
export async function dropOwnDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: testSystem().postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(`${name}_${process.pid}`)}`);
  } finally {
    await admin.end();
  }
}
