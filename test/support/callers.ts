import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { hashPassword } from '../../subgraphs/platform/src';
import { DEMO_PARTNER_CLIENT } from './demoData';
import { gateway, testSystem, tokenFor } from './system';

/**
 * Every kind of caller the authorisation rules distinguish: nobody, a
 * researcher of each province, an admin of each province, the platform admin,
 * and partner systems with and without the `card:verify` scope.
 */
export const CALLERS = [
  'anonymous',
  'li.wei',
  'chen.jing',
  'sc.admin',
  'cq.admin',
  'platform.admin',
  'partner',
  'partner without card:verify',
] as const;
export type Caller = (typeof CALLERS)[number];

/** Issues a partner client's token through the API (client-credentials grant). */
export async function clientToken(clientId: string, clientSecret: string): Promise<string> {
  const { body } = await gateway<{ issueClientToken: { token: string } }>(
    'mutation Client($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { token } }',
    { variables: { id: clientId, secret: clientSecret } },
  );
  if (!body.data?.issueClientToken) throw new Error(`client token for ${clientId} refused: ${JSON.stringify(body.errors)}`);
  return body.data.issueClientToken.token;
}

export interface TestPartnerClient {
  readonly clientId: string;
  readonly token: string;
}

/**
 * A partner client of the test's own, written straight into the platform
 * database (the platform has no API to register clients), with a hashed
 * secret like the seeded one; its token is then issued through the API.
 */
export async function createPartnerClient(scopes: readonly string[], name = 'Test partner without card checks'): Promise<TestPartnerClient> {
  const clientId = `test-${randomUUID().slice(0, 8)}`;
  const secret = randomBytes(18).toString('base64url');
  const db = new Client({ connectionString: testSystem().databaseUrls.platform });
  await db.connect();
  try {
    await db.query('INSERT INTO partner_clients (id, client_id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(), clientId, name, await hashPassword(secret), [...scopes],
    ]);
  } finally {
    await db.end();
  }
  const token = await clientToken(clientId, secret);
  return { clientId, token };
}

/**
 * Tokens for every caller, made once per test file. The scope-less partner is
 * created on first use.
 */
export class CallerTokens {
  private readonly tokens = new Map<Caller, Promise<string | undefined>>();

  tokenOf(caller: Caller): Promise<string | undefined> {
    let token = this.tokens.get(caller);
    if (!token) {
      token = this.issue(caller);
      this.tokens.set(caller, token);
    }
    return token;
  }

  private async issue(caller: Caller): Promise<string | undefined> {
    switch (caller) {
      case 'anonymous':
        return undefined;
      case 'partner':
        return clientToken(DEMO_PARTNER_CLIENT.clientId, DEMO_PARTNER_CLIENT.clientSecret);
      case 'partner without card:verify':
        return (await createPartnerClient(['catalog:read'])).token;
      default:
        return tokenFor(caller);
    }
  }
}
