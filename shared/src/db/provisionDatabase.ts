import { Client } from 'pg';

export interface DatabaseGrant {
  readonly database: string;
  readonly role: string;
  readonly password: string;
}

/**
 * Creates (or updates) a login role and a database it owns, and closes the
 * database to every other role: `REVOKE CONNECT … FROM PUBLIC` is what makes
 * ownership physical, so Sichuan's role cannot even connect to Chongqing's
 * database. Idempotent: a second start changes nothing but the password.
 */
export async function provisionDatabase(adminUrl: string, grant: DatabaseGrant): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = admin.escapeIdentifier(grant.role);
    const database = admin.escapeIdentifier(grant.database);
    const password = admin.escapeLiteral(grant.password);
    const roles = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [grant.role]);
    await admin.query(
      roles.rowCount ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${password}` : `CREATE ROLE ${role} WITH LOGIN PASSWORD ${password}`,
    );
    const databases = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [grant.database]);
    if (!databases.rowCount) await admin.query(`CREATE DATABASE ${database} OWNER ${role} ENCODING 'UTF8'`);
    await admin.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = grant.role;
  url.password = grant.password;
  url.pathname = `/${grant.database}`;
  return url.toString();
}
