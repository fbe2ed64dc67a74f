import { Client } from 'pg';
import { testSystem } from './system';

/** Runs `use` with a connection to one owner's database, as that owner's own role. */
export async function withDatabase<T>(owner: 'platform' | 'sichuan' | 'chongqing', use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: testSystem().databaseUrls[owner] });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}
