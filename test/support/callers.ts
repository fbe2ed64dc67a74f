import { createHash, randomBytes, randomUUID } from 'node:crypto';
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
  readonly clientSecret: string;
  readonly token: string;
}

const REGISTER = `mutation Register($input: RegisterPartnerClientInput!) { registerPartnerClient(input: $input) { clientSecret client { clientId } } }`;

/**
 * A partner client of the test's own, registered through the API by the platform admin as a partner is, with
 * `scopes` on the platform and nothing granted by any province unless `grants` names it; its token is then issued
 * through the API.
 */
export async function createPartnerClient(
  scopes: readonly string[],
  options: {
    organisation?: string; grants?: Partial<Record<'sichuan' | 'chongqing', readonly string[]>>; requestsPerMinute?: number; requestsPerDay?: number;
    /** For a client acting for people: where their approval may send its code. */
    redirectUris?: readonly string[];
  } = {},
): Promise<TestPartnerClient> {
  const clientId = `test-${randomUUID().slice(0, 8)}`;
  const registered = await gateway<{ registerPartnerClient: { clientSecret: string } }>(REGISTER, {
    token: await tokenFor('platform.admin'),
    variables: {
      input: {
        clientId,
        organisation: options.organisation ?? 'Test partner',
        contact: 'Test desk <desk@test.example>',
        purpose: 'Tests the partner client rules',
        scopes: [...scopes],
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        requestsPerMinute: options.requestsPerMinute ?? 1000,
        requestsPerDay: options.requestsPerDay ?? 100_000,
        ...(options.redirectUris ? { redirectUris: [...options.redirectUris] } : {}),
      },
    },
  });
  const clientSecret = registered.body.data?.registerPartnerClient.clientSecret;
  if (!clientSecret) throw new Error(`registering ${clientId} failed: ${JSON.stringify(registered.body.errors)}`);
  for (const [province, granted] of Object.entries(options.grants ?? {})) await grantScopes(province as 'sichuan' | 'chongqing', clientId, granted);
  return { clientId, clientSecret, token: await clientToken(clientId, clientSecret) };
}

/** A province admin grants a client scopes for that province's data. */
export async function grantScopes(province: 'sichuan' | 'chongqing', clientId: string, scopes: readonly string[]): Promise<void> {
  const P = province === 'sichuan' ? 'Sichuan' : 'Chongqing';
  const { body } = await gateway(`mutation Grant($id: String!, $scopes: [String!]!) { grant${P}ClientScopes(clientId: $id, scopes: $scopes) { scopes } }`, {
    token: await tokenFor(province === 'sichuan' ? 'sc.admin' : 'cq.admin'),
    variables: { id: clientId, scopes: [...scopes] },
  });
  if (body.errors) throw new Error(`granting ${clientId} in ${province} failed: ${JSON.stringify(body.errors)}`);
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

const APPROVE_CLIENT = 'mutation Approve($input: ApprovePartnerClientInput!) { approvePartnerClient(input: $input) { code } }';
const EXCHANGE_CODE = `mutation Exchange($clientId: String!, $clientSecret: String!, $code: String!, $redirectUri: String!, $codeVerifier: String!) {
  exchangeAuthorizationCode(clientId: $clientId, clientSecret: $clientSecret, code: $code, redirectUri: $redirectUri, codeVerifier: $codeVerifier) { token }
}`;

/**
 * The token a partner client holds for a person, got as a portal gets it: the person (signed in as `personToken`)
 * approves the client for `scopes` with a PKCE challenge, and the client exchanges the code with its secret and
 * verifier. `redirectUri` must be one the client registered.
 */
export async function delegatedTokenOf(personToken: string, client: TestPartnerClient, scopes: readonly string[], redirectUri: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const approved = await gateway<{ approvePartnerClient: { code: string } }>(APPROVE_CLIENT, {
    token: personToken,
    variables: { input: { clientId: client.clientId, redirectUri, scopes: [...scopes], codeChallenge: createHash('sha256').update(verifier).digest('base64url') } },
  });
  const code = approved.body.data?.approvePartnerClient.code;
  if (!code) throw new Error(`approving ${client.clientId} failed: ${JSON.stringify(approved.body.errors)}`);
  const exchanged = await gateway<{ exchangeAuthorizationCode: { token: string } }>(EXCHANGE_CODE, {
    variables: { clientId: client.clientId, clientSecret: client.clientSecret, code, redirectUri, codeVerifier: verifier },
  });
  const token = exchanged.body.data?.exchangeAuthorizationCode.token;
  if (!token) throw new Error(`exchanging ${client.clientId}'s code failed: ${JSON.stringify(exchanged.body.errors)}`);
  return token;
}
