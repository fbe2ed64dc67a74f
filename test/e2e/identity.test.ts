import { DEMO_ACCOUNTS } from '../../subgraphs/platform/src';
import { DEMO_SEEDS } from '../support/demoData';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';

describe('one-key login', () => {
  it('logs in once and is known in both provinces', async () => {
    const login = await gateway(`mutation { login(username: "chen.jing", password: "shuangcheng-demo") { token tokenType expiresAt user { username homeProvince roles } } }`);
    expect(login.body.errors).toBeUndefined();
    const { token, tokenType, expiresAt, user } = login.body.data.login;
    expect(tokenType).toBe('Bearer');
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(user).toEqual({ username: 'chen.jing', homeProvince: 'CHONGQING', roles: ['RESEARCHER'] });

    const me = await gateway(`{ me { username displayName chongqingTalentCard { cardName } sichuanTalentCard { cardName } sichuanBookings { id } chongqingBookings { id } } }`, { token });
    expect(me.body.errors).toBeUndefined();
    // Both provinces answer for the same person; the seed books nothing in her name.
    expect(me.body.data.me).toEqual({
      username: 'chen.jing',
      displayName: 'Chen Jing',
      chongqingTalentCard: { cardName: 'Chongqing Talent Service Card' },
      sichuanTalentCard: null,
      sichuanBookings: [],
      chongqingBookings: [],
    });
  });

  it('logs every demo account in', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const token = await tokenFor(account.username);
      const { body } = await gateway(`{ me { username } }`, { token });
      expect(body.data.me.username).toBe(account.username);
    }
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const wrongPassword = await gateway(`mutation { login(username: "li.wei", password: "nope") { token } }`);
    const unknownUser = await gateway(`mutation { login(username: "nobody.here", password: "nope") { token } }`);
    for (const { body } of [wrongPassword, unknownUser]) {
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(error.message).toBe('Wrong username or password.');
    }
  });

  it('issues scoped tokens to partner clients', async () => {
    const { body } = await gateway(`mutation { issueClientToken(clientId: "demo-partner", clientSecret: "shuangcheng-demo-secret") { token scopes } }`);
    expect(body.data.issueClientToken.scopes).toEqual(['catalog:read', 'card:verify']);
    const me = await gateway(`{ me { username } sichuan { name } }`, { token: body.data.issueClientToken.token });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data).toEqual({ me: null, sichuan: { name: 'Sichuan' } });
  });

  it('serves its public keys as a JWKS that verifies its tokens', async () => {
    const jwksUrl = new URL('/.well-known/jwks.json', testSystem().subgraphUrls.platform);
    const jwks = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string; alg: string; kty: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA' });
    expect(jwks.keys[0]!.d).toBeUndefined();
    const token = await tokenFor('li.wei');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string; kid: string };
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
  });
});

describe('bad tokens', () => {
  it.each([
    ['a tampered token', async () => `${(await tokenFor('li.wei')).slice(0, -4)}AAAA`],
    ['garbage', async () => 'not.a.token'],
  ])('answers %s with HTTP 401 and UNAUTHENTICATED, at the gateway and at each subgraph', async (_, makeToken) => {
    const token = await makeToken();
    const { subgraphUrls, gatewayUrl } = testSystem();
    for (const url of [gatewayUrl, subgraphUrls.sichuan, subgraphUrls.chongqing, subgraphUrls.platform]) {
      const { status, body } = await graphql(url, '{ __typename }', { token });
      expect(status).toBe(401);
      expect(onlyError(body).extensions?.['code']).toBe('UNAUTHENTICATED');
    }
  });

  it('treats a request without a token as anonymous, which may read the public catalogue', async () => {
    const { status, body } = await gateway(`{ me { username } sichuan { categories { code } } }`);
    expect(status).toBe(200);
    expect(body.data.me).toBeNull();
    expect(body.data.sichuan.categories.map((c: { code: string }) => c.code).sort()).toEqual(DEMO_SEEDS.sichuan.categories.map((c) => c.code).sort());
  });

  it('carries the request id through and echoes it', async () => {
    const { headers } = await gateway(`{ sichuan { name } }`, { headers: { 'x-request-id': 'test-req-42' } });
    expect(headers.get('x-request-id')).toBe('test-req-42');
  });
});
