import { createHash, createHmac, createPublicKey, createSign, generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';
import { createUser as createThrowawayUser, withPlatformDb } from '../support/throwawayIdentities';

// Every account signed in, refreshed or revoked here is a throw-away one made by this file, and every sign-in names
// its own forwarded address: the demo accounts, which other test files sign in with, and the address all other tests
// come from are never counted by the login throttle (test/e2e/loginThrottling.test.ts tests it).

const RUN = randomBytes(2).toString('hex');
let sequence = 0;
/** A fresh IPv6 /64 per call: the platform counts failures per /64, and the test system's gateway trusts x-forwarded-for from the tests (TRUSTED_PROXIES). */
const freshAddress = () => `2001:db8:${RUN}:${(++sequence).toString(16)}::1`;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const every = () => {
  const { gatewayUrl, subgraphUrls } = testSystem();
  return [gatewayUrl, subgraphUrls.platform, subgraphUrls.sichuan, subgraphUrls.chongqing];
};

// ---------------------------------------------------------------- throw-away accounts

const PASSWORD = 'shuangcheng-demo';

/** A researcher that exists only for one test, with the demo password. */
const createUser = () => createThrowawayUser('tok');

const LOGIN = `mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt refreshToken refreshExpiresAt user { id username } } }`;
const REFRESH = `mutation Refresh($r: String!) { refreshSession(refreshToken: $r) { token tokenType expiresAt refreshToken refreshExpiresAt user { username } } }`;
const LOGOUT = `mutation Logout($r: String!) { logout(refreshToken: $r) }`;
const REVOKE = `mutation Revoke($id: ID!) { revokeUserSessions(userId: $id) }`;

const login = (username: string, password = PASSWORD, address = freshAddress()) =>
  gateway(LOGIN, { variables: { u: username, p: password }, headers: { 'x-forwarded-for': address } });
const refresh = (refreshToken: string) => gateway(REFRESH, { variables: { r: refreshToken } });

async function signIn(username: string) {
  const { body } = await login(username);
  expect(body.errors).toBeUndefined();
  return body.data.login as { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string; user: { id: string } };
}

function expectUnauthenticated(body: Parameters<typeof onlyError>[0], message?: RegExp) {
  const error = onlyError(body);
  expect(error.extensions?.['code']).toBe('UNAUTHENTICATED');
  if (message) expect(error.message).toMatch(message);
}

// ---------------------------------------------------------------- forged and broken access tokens

/** The platform's real signing key. */
function platformKey() {
  const pem = readFileSync(testSystem().signingKeyFile, 'utf8');
  return { pem };
}

async function realToken() {
  const token = await tokenFor('li.wei');
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { token, header: header as { kid: string }, claims: payload as Record<string, unknown> & { iss: string; aud: string } };
}

/** Signs any header and claims with RS256 by hand, so even claims jsonwebtoken would refuse to sign can be sent. */
function signRs256(header: Record<string, unknown>, claims: Record<string, unknown>, privatePem = platformKey().pem): string {
  const input = `${b64url({ typ: 'JWT', ...header, alg: 'RS256' })}.${b64url(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privatePem).toString('base64url')}`;
}

/** Well-formed claims for a throw-away subject, as the platform would issue them; each case below breaks one thing. */
async function goodClaims(): Promise<Record<string, unknown>> {
  const { claims } = await realToken();
  const now = Math.floor(Date.now() / 1000);
  return { sub: randomUUID(), roles: ['researcher'], province: 'sichuan', iss: claims.iss, aud: claims.aud, iat: now, nbf: now, exp: now + 300, jti: randomUUID() };
}

async function publicKeyPems(): Promise<string[]> {
  const jwks = (await (await fetch(new URL('/.well-known/jwks.json', testSystem().subgraphUrls.platform))).json()) as { keys: JsonWebKey[] };
  const key = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
  return [key.export({ type: 'spki', format: 'pem' }).toString(), key.export({ type: 'pkcs1', format: 'pem' }).toString()];
}

const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const now = () => Math.floor(Date.now() / 1000);

/** Each case makes the whole Authorization header. */
const BAD_TOKENS: [string, () => Promise<string>][] = [
  ['alg none, no signature', async () => {
    const { header } = await realToken();
    return `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: header.kid })}.${b64url(await goodClaims())}.`;
  }],
  ['alg none keeping a real signature', async () => {
    const { token, header } = await realToken();
    const [, payload, signature] = token.split('.');
    return `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: header.kid })}.${payload}.${signature}`;
  }],
  ...[0, 1].map((variant): [string, () => Promise<string>] => [
    `HS256 keyed with the platform's public key (${variant === 0 ? 'SPKI' : 'PKCS#1'} PEM from the JWKS)`,
    async () => {
      const { header } = await realToken();
      const pem = (await publicKeyPems())[variant]!;
      const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64url({ ...(await goodClaims()), roles: ['platform_admin'] })}`;
      return `Bearer ${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    },
  ]),
  ['an unknown kid', async () => `Bearer ${signRs256({ kid: `unknown-${RUN}` }, await goodClaims())}`],
  ['no kid', async () => `Bearer ${signRs256({}, await goodClaims())}`],
  ['the real kid but another key', async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, await goodClaims(), stranger)}`],
  ['a tampered payload (roles raised, signature kept)', async () => {
    const { token, claims } = await realToken();
    const [header, , signature] = token.split('.');
    return `Bearer ${header}.${b64url({ ...claims, roles: ['platform_admin'] })}.${signature}`;
  }],
  ['a tampered signature', async () => `Bearer ${(await realToken()).token.slice(0, -6)}AAAAAA`],
  ['an act claim added to a person\'s token (a client acting for them, signature kept)', async () => {
    const { token, claims } = await realToken();
    const [header, , signature] = token.split('.');
    return `Bearer ${header}.${b64url({ ...claims, act: { sub: 'client:demo-portal' }, cid: randomUUID() })}.${signature}`;
  }],
  ['an act claim signed with another key under the real kid', async () =>
    `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), act: { sub: 'client:demo-portal' }, cid: randomUUID() }, stranger)}`],
  ['a wrong iss', async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), iss: 'https://id.evil.example' })}`],
  ['a wrong aud', async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), aud: 'another-api' })}`],
  ['an exp past the 30 s tolerance', async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), iat: now() - 900, nbf: now() - 900, exp: now() - 60 })}`],
  ['an nbf beyond the 30 s tolerance', async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), nbf: now() + 120 })}`],
  ...(['sub', 'roles', 'exp'] as const).map((claim): [string, () => Promise<string>] => [
    `no ${claim} claim`,
    async () => {
      const { [claim]: _dropped, ...claims } = await goodClaims();
      return `Bearer ${signRs256({ kid: (await realToken()).header.kid }, claims)}`;
    },
  ]),
  ...([
    ['roles as a string', { roles: 'platform_admin' }],
    ['an unknown role', { roles: ['researcher', 'root'] }],
    ['sub as a number', { sub: 42 }],
    ['province not ours', { province: 'beijing' }],
    ['exp as a string', { exp: String(now() + 300) }],
    ['nbf as a string', { nbf: 'now' }],
    ['iss as a list', { iss: ['https://id.shuangcheng.example'] }],
    ['an act claim without the consent it rests on', { act: { sub: 'client:demo-portal' } }],
    ['an act claim naming no client', { act: { sub: 'demo-portal' }, cid: 'c1' }],
    ['an act claim on a partner client\'s own token', { roles: ['partner'], act: { sub: 'client:demo-portal' }, cid: 'c1' }],
  ] as const).map(([label, change]): [string, () => Promise<string>] => [
    label,
    async () => `Bearer ${signRs256({ kid: (await realToken()).header.kid }, { ...(await goodClaims()), ...change })}`,
  ]),
  ['garbage', async () => 'Bearer not.a.token'],
  ['a token with no dots', async () => 'Bearer abcdef'],
  ['another scheme', async () => 'Basic dXNlcjpwYXNz'],
  ['a refresh token used as an access token', async () => `Bearer ${(await signIn((await createUser()).username)).refreshToken}`],
];

describe('access-token battery: the gateway and every subgraph answer HTTP 401 UNAUTHENTICATED', () => {
  it('accepts the control: a well-formed token signed with the platform key', async () => {
    const authorization = `Bearer ${signRs256({ kid: (await realToken()).header.kid }, await goodClaims())}`;
    for (const url of every()) {
      const { status, body } = await graphql(url, '{ __typename }', { headers: { authorization } });
      expect({ url, status, errors: body.errors }).toEqual({ url, status: 200, errors: undefined });
    }
  });

  it.each(BAD_TOKENS)('refuses %s', async (_label, makeHeader) => {
    const authorization = await makeHeader();
    for (const url of every()) {
      const { status, body } = await graphql(url, '{ __typename }', { headers: { authorization } });
      expect({ url, status }).toEqual({ url, status: 401 });
      expect(onlyError(body).extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(body.data ?? null).toBeNull();
    }
  });
});

// ---------------------------------------------------------------- refresh tokens

describe('refresh tokens', () => {
  it('come with login: opaque, 14 days, beside a 15-minute access token', async () => {
    const session = await signIn((await createUser()).username);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(session.refreshExpiresAt) - Date.now()).toBeGreaterThan(14 * 86_400_000 - 60_000);
    expect(Date.parse(session.refreshExpiresAt) - Date.now()).toBeLessThanOrEqual(14 * 86_400_000);
    const claims = JSON.parse(Buffer.from(session.token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('are stored only as SHA-256 hashes', async () => {
    const user = await createUser();
    const { refreshToken } = await signIn(user.username);
    const rows = await withPlatformDb(async (db) => (await db.query('SELECT * FROM refresh_tokens WHERE user_id = $1', [user.id])).rows);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(refreshToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it('rotate: a refresh gives a working access token and a new refresh token in the same session', async () => {
    const user = await createUser();
    const first = await signIn(user.username);
    const { body } = await refresh(first.refreshToken);
    expect(body.errors).toBeUndefined();
    const next = body.data.refreshSession;
    expect(next).toMatchObject({ tokenType: 'Bearer', user: { username: user.username } });
    expect(next.refreshToken).not.toBe(first.refreshToken);
    const me = await gateway('{ me { username } }', { token: next.token });
    expect(me.body.data.me.username).toBe(user.username);

    const rows = await withPlatformDb(async (db) =>
      (await db.query('SELECT family_id, used_at, revoked_at FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at', [user.id])).rows,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].family_id).toBe(rows[1].family_id);
    expect(rows[0].used_at).not.toBeNull();
    expect(rows[1].used_at).toBeNull();
  });

  it('reuse of a rotated token ends the whole session, the newest token included', async () => {
    const first = await signIn((await createUser()).username);
    const second = (await refresh(first.refreshToken)).body.data.refreshSession.refreshToken as string;
    const third = (await refresh(second)).body.data.refreshSession.refreshToken as string;

    expectUnauthenticated((await refresh(first.refreshToken)).body, /already been used.*ended for safety/);
    expectUnauthenticated((await refresh(third)).body, /session has ended/);
    expectUnauthenticated((await refresh(second)).body);
  });

  it('of several concurrent refreshes with one token, exactly one succeeds', async () => {
    const { refreshToken } = await signIn((await createUser()).username);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(refreshToken)));
    const succeeded = results.filter(({ body }) => body.data?.refreshSession);
    expect(succeeded).toHaveLength(1);
    for (const { body } of results.filter((result) => !succeeded.includes(result))) expectUnauthenticated(body);
  });

  it('logout ends the session, even when given an older token of it; unknown tokens answer false', async () => {
    const first = await signIn((await createUser()).username);
    const second = (await refresh(first.refreshToken)).body.data.refreshSession.refreshToken as string;
    expect((await gateway(LOGOUT, { variables: { r: first.refreshToken } })).body.data.logout).toBe(true);
    expectUnauthenticated((await refresh(second)).body, /session has ended/);
    expect((await gateway(LOGOUT, { variables: { r: second } })).body.data.logout).toBe(true);
    expect((await gateway(LOGOUT, { variables: { r: randomBytes(32).toString('base64url') } })).body.data.logout).toBe(false);
  });

  it('logout of one session leaves the user\'s other sessions alone', async () => {
    const user = await createUser();
    const laptop = await signIn(user.username);
    const phone = await signIn(user.username);
    await gateway(LOGOUT, { variables: { r: laptop.refreshToken } });
    expect((await refresh(phone.refreshToken)).body.errors).toBeUndefined();
  });

  it('refuses unknown, empty and expired refresh tokens', async () => {
    expectUnauthenticated((await refresh(randomBytes(32).toString('base64url'))).body, /not valid/);
    expectUnauthenticated((await refresh('')).body, /not valid/);
    const user = await createUser();
    const { refreshToken } = await signIn(user.username);
    await withPlatformDb((db) => db.query("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]));
    expectUnauthenticated((await refresh(refreshToken)).body, /expired/);
  });

  it('a disabled user cannot refresh (nor sign in)', async () => {
    const user = await createUser();
    const { refreshToken } = await signIn(user.username);
    await withPlatformDb((db) => db.query('UPDATE users SET disabled = true WHERE id = $1', [user.id]));
    expectUnauthenticated((await refresh(refreshToken)).body, /disabled/);
    expectUnauthenticated((await login(user.username)).body, /^Wrong username or password\.$/);
  });
});

describe('revokeUserSessions', () => {
  it('lets a platform admin end every session of a user', async () => {
    const user = await createUser();
    const sessions = [await signIn(user.username), await signIn(user.username)];
    const admin = await tokenFor('platform.admin');
    const { body } = await gateway(REVOKE, { token: admin, variables: { id: user.id } });
    expect(body.errors).toBeUndefined();
    expect(body.data.revokeUserSessions).toBe(2);
    for (const session of sessions) expectUnauthenticated((await refresh(session.refreshToken)).body, /session has ended/);
    expect((await gateway(REVOKE, { token: admin, variables: { id: user.id } })).body.data.revokeUserSessions).toBe(0);
  });

  it('is FORBIDDEN to a province admin, a researcher and a partner client, and needs a token', async () => {
    const user = await createUser();
    const { refreshToken } = await signIn(user.username);
    const client = await gateway(`mutation { issueClientToken(clientId: "demo-partner", clientSecret: "shuangcheng-demo-secret") { token } }`);
    for (const token of [await tokenFor('sc.admin'), await tokenFor('li.wei'), client.body.data.issueClientToken.token as string]) {
      const { body } = await gateway(REVOKE, { token, variables: { id: user.id } });
      expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
    }
    expectUnauthenticated((await gateway(REVOKE, { variables: { id: user.id } })).body);
    // Nothing was revoked.
    expect((await refresh(refreshToken)).body.errors).toBeUndefined();
  });

  it('says which user id is wrong', async () => {
    const admin = await tokenFor('platform.admin');
    expect(onlyError((await gateway(REVOKE, { token: admin, variables: { id: 'li.wei' } })).body).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(onlyError((await gateway(REVOKE, { token: admin, variables: { id: randomUUID() } })).body).extensions?.['code']).toBe('NOT_FOUND');
  });
});
