/**
 * @testSystem in-process: the subgraphs are called directly through their in-process fetch, as over the network.
 */
import { DEMO_HOSPITAL_CLIENT } from '../../subgraphs/platform/src';
import { clientToken, createPartnerClient, grantScopes } from '../support/callers';
import { withPlatformDb } from '../support/throwawayIdentities';
import { until } from '../support/until';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';

/*
 * Partner clients as the platform runs them (registration, secret shown once, rotation with an overlap,
 * suspension, expiry) and as each province governs them (its own grant, enforced by its own subgraph whatever
 * the token claims).
 */

const SICHUAN_CARD = 'TF-2024-000128';
const CHONGQING_CARD = 'CQ-RC-2024-000590';
const VERIFY = 'query Verify($n: String!) { verifyTalentCard(cardNumber: $n) { cardNumber valid holderName } }';
const ISSUE = 'mutation Issue($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { token expiresAt scopes } }';
const CLIENT = `query Client($id: String!) { partnerClient(clientId: $id) {
  clientId organisation status expiresAt requestsPerMinute previousSecretValidUntil
  sichuanGrant { scopes grantedBy } chongqingGrant { scopes }
} }`;
const SUSPEND = 'mutation Suspend($id: String!) { suspendPartnerClient(clientId: $id, reason: "Contract under review") { status suspensionReason } }';
const REACTIVATE = 'mutation Reactivate($id: String!) { reactivatePartnerClient(clientId: $id) { status } }';
const ROTATE = 'mutation Rotate($id: String!, $overlap: Int) { rotatePartnerClientSecret(clientId: $id, previousSecretValidForSeconds: $overlap) { clientSecret client { previousSecretValidUntil } } }';

const verify = (token: string, cardNumber: string, url = testSystem().gatewayUrl) => graphql(url, VERIFY, { token, variables: { n: cardNumber } });
/** The issuer's own check, asked of its subgraph directly (as the gateway would plan it, with the card number as key). */
const ISSUER_CHECK = (P: string) => `query Direct($n: String!) { ${P.toLowerCase()} { talentCard(cardNumber: $n) { cardNumber } } }`;

describe('a client granted by Sichuan only', () => {
  it('verifies a Sichuan card and is refused for a Chongqing one, whatever its token claims', async () => {
    const token = await clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret);
    const sichuan = await verify(token, SICHUAN_CARD);
    expect(sichuan.body.errors).toBeUndefined();
    // A bare number: valid or not, never whose card it is.
    expect(sichuan.body.data.verifyTalentCard).toEqual({ cardNumber: SICHUAN_CARD, valid: true, holderName: null });

    // Its token carries card:verify (the platform registered it so); Chongqing grants it nothing.
    const chongqing = await verify(token, CHONGQING_CARD);
    const error = onlyError(chongqing.body);
    expect(error.extensions?.['code']).toBe('FORBIDDEN');
    expect(chongqing.body.data).toBeNull();
  });

  it('is shown with each province\'s grant, asked of each province', async () => {
    const { body } = await gateway(CLIENT, { token: await tokenFor('platform.admin'), variables: { id: DEMO_HOSPITAL_CLIENT.clientId } });
    expect(body.errors).toBeUndefined();
    expect(body.data.partnerClient).toMatchObject({
      clientId: 'demo-hospital', status: 'ACTIVE', requestsPerMinute: 60,
      sichuanGrant: { scopes: ['card:verify'], grantedBy: 'Sichuan Registry Admin' }, chongqingGrant: null,
    });
  });

  it('gets what Chongqing grants it once Chongqing decides to, and loses it when revoked', async () => {
    const client = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'] } });
    expect(onlyError((await verify(client.token, CHONGQING_CARD)).body).extensions?.['code']).toBe('FORBIDDEN');
    await grantScopes('chongqing', client.clientId, ['card:verify']);
    expect((await verify(client.token, CHONGQING_CARD)).body.errors).toBeUndefined();
    const revoked = await gateway('mutation Revoke($id: String!) { revokeChongqingClientGrant(clientId: $id) }', {
      token: await tokenFor('cq.admin'), variables: { id: client.clientId },
    });
    expect(revoked.body.data).toEqual({ revokeChongqingClientGrant: true });
    expect(onlyError((await verify(client.token, CHONGQING_CARD)).body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('cannot be granted by the other province\'s admin, nor a scope no client may hold', async () => {
    const client = await createPartnerClient(['card:verify']);
    const byOther = await gateway('mutation G($id: String!) { grantSichuanClientScopes(clientId: $id, scopes: ["card:verify"]) { scopes } }', {
      token: await tokenFor('cq.admin'), variables: { id: client.clientId },
    });
    expect(onlyError(byOther.body).extensions?.['code']).toBe('FORBIDDEN');
    const tooMuch = await gateway('mutation G($id: String!) { grantSichuanClientScopes(clientId: $id, scopes: ["registry:write"]) { scopes } }', {
      token: await tokenFor('sc.admin'), variables: { id: client.clientId },
    });
    expect(onlyError(tooMuch.body)).toMatchObject({ message: expect.stringContaining('scopes.0: expected scopes among catalog:read, card:verify'), extensions: { code: 'BAD_USER_INPUT' } });
    const unknown = await gateway('mutation G { grantSichuanClientScopes(clientId: "no-such-client", scopes: ["card:verify"]) { scopes } }', { token: await tokenFor('sc.admin') });
    expect(onlyError(unknown.body)).toMatchObject({ message: expect.stringContaining('No partner client no-such-client is registered'), extensions: { code: 'NOT_FOUND' } });
  });
});

describe('registration', () => {
  it('shows the secret once, keeps only its hash, and refuses a second registration of the id', async () => {
    const client = await createPartnerClient(['catalog:read', 'card:verify'], { organisation: 'Chengdu Testing Centre' });
    const stored = await withPlatformDb((db) => db.query<{ secret_hash: string }>('SELECT secret_hash FROM partner_clients WHERE client_id = $1', [client.clientId]));
    expect(stored.rows[0]!.secret_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0]!.secret_hash).not.toContain(client.clientSecret);
    const again = await gateway(`mutation R($input: RegisterPartnerClientInput!) { registerPartnerClient(input: $input) { clientSecret } }`, {
      token: await tokenFor('platform.admin'),
      variables: { input: {
        clientId: client.clientId, organisation: 'Someone else', contact: 'x <x@x.example>', purpose: 'Taking the id over',
        scopes: ['card:verify'], expiresAt: new Date(Date.now() + 86_400_000).toISOString(), requestsPerMinute: 10, requestsPerDay: 100,
      } },
    });
    expect(onlyError(again.body).extensions?.['code']).toBe('CONFLICT');
  });

  it('refuses bad input with every problem named, and writes nothing', async () => {
    const { body } = await gateway(`mutation R($input: RegisterPartnerClientInput!) { registerPartnerClient(input: $input) { clientSecret } }`, {
      token: await tokenFor('platform.admin'),
      variables: { input: {
        clientId: 'Bad Id!', organisation: '', contact: 'x', purpose: 'ok purpose', scopes: ['identity:admin'],
        expiresAt: new Date(Date.now() - 1000).toISOString(), requestsPerMinute: 100, requestsPerDay: 10,
      } },
    });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    for (const field of ['input.clientId', 'input.organisation', 'input.contact', 'input.scopes.0', 'input.expiresAt']) {
      expect(error.message).toContain(`${field}:`);
    }
    const rows = await withPlatformDb((db) => db.query("SELECT 1 FROM partner_clients WHERE client_id = 'Bad Id!'"));
    expect(rows.rowCount).toBe(0);
  });

  it('is for platform admins only', async () => {
    for (const caller of ['sc.admin', 'li.wei']) {
      const { body } = await gateway('query { partnerClients { clientId } }', { token: await tokenFor(caller) });
      expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
    }
    const { body } = await gateway('query { partnerClients { clientId status } }', { token: await tokenFor('platform.admin') });
    expect(body.data.partnerClients).toEqual(expect.arrayContaining([{ clientId: 'demo-partner', status: 'ACTIVE' }, { clientId: 'demo-hospital', status: 'ACTIVE' }]));
  });
});

describe('rotation', () => {
  it('gives a new secret and keeps the previous one working until the overlap ends', async () => {
    const client = await createPartnerClient(['card:verify']);
    // The client rotates its own secret with its own token.
    const rotated = await gateway(ROTATE, { token: client.token, variables: { id: client.clientId, overlap: 3600 } });
    expect(rotated.body.errors).toBeUndefined();
    const { clientSecret, client: after } = rotated.body.data.rotatePartnerClientSecret;
    expect(clientSecret).not.toBe(client.clientSecret);
    expect(Date.parse(after.previousSecretValidUntil) - Date.now()).toBeGreaterThan(3500_000);
    for (const secret of [clientSecret, client.clientSecret]) {
      expect((await gateway(ISSUE, { variables: { id: client.clientId, secret } })).body.errors).toBeUndefined();
    }
    // An admin rotates again with no overlap: the first secret and the second stop, the third works.
    const again = await gateway(ROTATE, { token: await tokenFor('platform.admin'), variables: { id: client.clientId, overlap: 0 } });
    const third = again.body.data.rotatePartnerClientSecret.clientSecret as string;
    for (const old of [client.clientSecret, clientSecret]) {
      expect(onlyError((await gateway(ISSUE, { variables: { id: client.clientId, secret: old } })).body).extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    expect((await gateway(ISSUE, { variables: { id: client.clientId, secret: third } })).body.errors).toBeUndefined();
  });

  it('refuses another client or a researcher rotating a client\'s secret', async () => {
    const client = await createPartnerClient(['card:verify']);
    const other = await createPartnerClient(['card:verify']);
    for (const token of [other.token, await tokenFor('li.wei')]) {
      expect(onlyError((await gateway(ROTATE, { token, variables: { id: client.clientId, overlap: 60 } })).body).extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('expires the previous secret at the end of the overlap', async () => {
    const client = await createPartnerClient(['card:verify']);
    const rotated = await gateway(ROTATE, { token: client.token, variables: { id: client.clientId, overlap: 3600 } });
    expect(rotated.body.errors).toBeUndefined();
    await withPlatformDb((db) => db.query("UPDATE partner_clients SET previous_secret_valid_until = now() - interval '1 second' WHERE client_id = $1", [client.clientId]));
    expect(onlyError((await gateway(ISSUE, { variables: { id: client.clientId, secret: client.clientSecret } })).body).extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('suspended and expired clients', () => {
  it('a suspended client gets no token, and its still-valid token is refused by every subgraph called directly', async () => {
    const client = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'], chongqing: ['card:verify'] } });
    const { subgraphUrls } = testSystem();
    const direct = () => graphql(subgraphUrls.sichuan, ISSUER_CHECK('Sichuan'), { token: client.token, variables: { n: SICHUAN_CARD } });
    // Before: the token is admitted (the card itself is personal, so FORBIDDEN, not UNAUTHENTICATED).
    expect((await direct()).status).toBe(200);

    const suspended = await gateway(SUSPEND, { token: await tokenFor('platform.admin'), variables: { id: client.clientId } });
    expect(suspended.body.data.suspendPartnerClient).toEqual({ status: 'SUSPENDED', suspensionReason: 'Contract under review' });
    const issue = await gateway(ISSUE, { variables: { id: client.clientId, secret: client.clientSecret } });
    expect(onlyError(issue.body)).toMatchObject({ message: expect.stringContaining('is suspended'), extensions: { code: 'UNAUTHENTICATED' } });

    // The platform knows at once; each province within CLIENT_STATUS_MAX_AGE_SECONDS (1 s in tests).
    const atPlatform = await graphql(subgraphUrls.platform, CLIENT, { token: client.token, variables: { id: client.clientId } });
    expect(atPlatform.status).toBe(401);
    for (const province of ['sichuan', 'chongqing'] as const) {
      const refused = await until(`${province} to refuse the suspended client`, async () => {
        const response = await graphql(subgraphUrls[province], `query { ${province} { name } }`, { token: client.token });
        return response.status === 401 ? response : undefined;
      });
      expect(onlyError(refused.body)).toMatchObject({ message: expect.stringContaining('is suspended'), extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(onlyError((await verify(client.token, SICHUAN_CARD)).body).extensions?.['code']).toBe('UNAUTHENTICATED');

    await gateway(REACTIVATE, { token: await tokenFor('platform.admin'), variables: { id: client.clientId } });
    await until('Sichuan to admit the reactivated client', async () => (await verify(client.token, SICHUAN_CARD)).body.errors === undefined);
  });

  it('an expired client gets no token, and its still-valid token is refused by the subgraphs', async () => {
    const client = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'] } });
    const issued = await gateway(ISSUE, { variables: { id: client.clientId, secret: client.clientSecret } });
    expect(Date.parse(issued.body.data.issueClientToken.expiresAt)).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    // The registration ends early (as when a contract ends): the token already issued is still signed and unexpired.
    await withPlatformDb((db) => db.query("UPDATE partner_clients SET expires_at = now() - interval '1 second' WHERE client_id = $1", [client.clientId]));
    const issue = await gateway(ISSUE, { variables: { id: client.clientId, secret: client.clientSecret } });
    expect(onlyError(issue.body)).toMatchObject({ message: expect.stringContaining('registration expired'), extensions: { code: 'UNAUTHENTICATED' } });
    const refused = await until('Sichuan to refuse the expired client', async () => {
      const response = await graphql(testSystem().subgraphUrls.sichuan, 'query { sichuan { name } }', { token: client.token });
      return response.status === 401 ? response : undefined;
    });
    expect(onlyError(refused.body).message).toContain('registration expired');
  });

  it('never issues a token that outlives the registration', async () => {
    const client = await createPartnerClient(['catalog:read']);
    const ends = new Date(Date.now() + 120_000);
    await withPlatformDb((db) => db.query('UPDATE partner_clients SET expires_at = $2 WHERE client_id = $1', [client.clientId, ends]));
    const issued = await gateway(ISSUE, { variables: { id: client.clientId, secret: client.clientSecret } });
    expect(Date.parse(issued.body.data.issueClientToken.expiresAt)).toBeLessThanOrEqual(ends.getTime());
  });
});

describe('quotas', () => {
  it('refuses a client over its own requests a minute with RATE_LIMITED, and leaves other clients alone', async () => {
    const limited = await createPartnerClient(['catalog:read'], { requestsPerMinute: 3, requestsPerDay: 100 });
    const other = await createPartnerClient(['catalog:read'], { requestsPerMinute: 3, requestsPerDay: 100 });
    for (let i = 0; i < 3; i += 1) expect((await gateway('query { sichuan { name } }', { token: limited.token })).body.errors).toBeUndefined();
    const over = await gateway('query { sichuan { name } }', { token: limited.token });
    expect(over.status).toBe(429);
    expect(onlyError(over.body)).toMatchObject({
      message: expect.stringContaining(`Partner client ${limited.clientId} is over its quota of 3 requests a minute`),
      extensions: { code: 'RATE_LIMITED' },
    });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await gateway('query { sichuan { name } }', { token: other.token })).body.errors).toBeUndefined();
  });

  it('holds a day quota too', async () => {
    const client = await createPartnerClient(['catalog:read'], { requestsPerMinute: 4, requestsPerDay: 4 });
    for (let i = 0; i < 4; i += 1) expect((await gateway('query { chongqing { name } }', { token: client.token })).body.errors).toBeUndefined();
    const over = await gateway('query { chongqing { name } }', { token: client.token });
    expect(onlyError(over.body)).toMatchObject({ message: expect.stringContaining('quota of 4 requests a day'), extensions: { code: 'RATE_LIMITED' } });
  });
});

