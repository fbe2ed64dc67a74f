import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEMO_PARTNER_CLIENT } from './demoData';
import { testSystem } from './system';

/*
 * People and partner clients that exist only for one test, so that a test that
 * signs in, revokes or throttles never touches the demo accounts other tests use.
 */

export async function withPlatformDb<T>(use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: testSystem().databaseUrls.platform });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

const uniqueName = (prefix: string) => `${prefix}.${randomBytes(5).toString('hex')}`;

/** A researcher with the demo password (its hash copied from a demo account) and a display name of its own. */
export async function createUser(prefix: string): Promise<{ id: string; username: string }> {
  const user = { id: randomUUID(), username: uniqueName(prefix) };
  await withPlatformDb((db) =>
    db.query(
      `INSERT INTO users (id, username, display_name, home_province, roles, password_hash)
       SELECT $1, $2, 'Token Test', 'sichuan', '{researcher}', password_hash FROM users WHERE username = 'li.wei'`,
      [user.id, user.username],
    ),
  );
  return user;
}

/** A partner client with the demo partner's secret (its hash copied) and scopes. */
export async function createPartnerClient(prefix: string): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = uniqueName(prefix);
  await withPlatformDb((db) =>
    db.query(
      `INSERT INTO partner_clients (id, client_id, name, secret_hash, scopes, expires_at)
       SELECT $1, $2, 'Throttle Test', secret_hash, scopes, now() + interval '1 year' FROM partner_clients WHERE client_id = $3`,
      [randomUUID(), clientId, DEMO_PARTNER_CLIENT.clientId],
    ),
  );
  return { clientId, clientSecret: DEMO_PARTNER_CLIENT.clientSecret };
}
