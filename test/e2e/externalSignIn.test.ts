import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { startDemoOidcProvider, type DemoOidcProvider } from '../../shared/src/testing/demoOidcProvider';
import { DEMO_PARTNER_CLIENT, asGateway, freePort, graphql, tokenFor } from '../support';
import { clientToken } from '../support/callers';
import { startOwnGateway, startOwnPlatform } from '../support/ownServices';
import { expectRefused } from '../support/refusals';
import { SlotAllocator, closePools, createInstrument, newKey, sql } from '../support/registryFixtures';

// One-key login through an identity provider: a real OpenID Provider (oidc-provider) on a port of its own, the
// platform configured as its relying party, and a gateway in front, as a web client uses them.

const REDIRECT_URI = 'http://127.0.0.1:5173/signed-in';
const CLIENT = { clientId: 'shuangcheng-test', clientSecret: 'a-client-secret-for-this-test-only', redirectUris: [REDIRECT_URI] };
const ACCOUNTS = {
  'zhang.min': { name: 'Zhang Min', email: 'zhang.min@cqu.example', email_verified: true, province: 'CQ', org: 'Chongqing University', affiliation: 'academic' },
  'wu.qiang': { name: 'Wu Qiang', email: 'wu.qiang@robotics.example', email_verified: true, province: 'sichuan', org: 'Chengdu Robotics Ltd', affiliation: 'company' },
  'linked.person': { name: 'Li Wei at the provider', email: 'li.wei@scu.example', email_verified: true },
  'second.person': { name: 'Someone Else' },
  'tamper.target': { name: 'Tamper Target' },
};

let idp: DemoOidcProvider;
/** A provider whose ID tokens carry `sub` alone: the profile is at its userinfo endpoint. */
let userinfoIdp: DemoOidcProvider;
const USERINFO_CLIENT = { clientId: 'shuangcheng-userinfo', clientSecret: 'another-client-secret-for-this-test', redirectUris: [REDIRECT_URI] };
let platform: RunningService;
let gateway: RunningGateway;
let gatewayUrl: string;
const slots = new SlotAllocator(60);

const call = <T = any>(query: string, variables: Record<string, unknown> = {}, token?: string) =>
  graphql<T>(gatewayUrl, query, { variables, ...(token ? { token } : {}) });

const BEGIN = 'mutation($p: String!, $r: String!) { beginExternalSignIn(provider: $p, redirectUri: $r) { authorizationUrl state expiresAt } }';
const COMPLETE = `mutation($p: String!, $c: String!) { completeExternalSignIn(provider: $p, callbackUrl: $c) {
  token refreshToken user { id username displayName homeProvince institution affiliation affiliationVerified email emailVerified externalIdentities { provider subject } } } }`;

async function begin(provider = 'demo-idp'): Promise<{ authorizationUrl: string; state: string }> {
  const { body } = await call(BEGIN, { p: provider, r: REDIRECT_URI });
  if (!body.data) throw new Error(`begin failed: ${JSON.stringify(body.errors)}`);
  return body.data.beginExternalSignIn;
}

async function callbackFor(login: string): Promise<string> {
  return idp.signIn((await begin()).authorizationUrl, login);
}

function claimsOf(token: string): Record<string, unknown> {
  return jwt.decode(token) as Record<string, unknown>;
}

/** The provider's ID token with `change` applied to its claims, signed again with the provider's own key. */
const resigned = (change: (claims: Record<string, unknown>) => void) => (idToken: string) => {
  const claims = jwt.decode(idToken) as Record<string, unknown>;
  change(claims);
  return jwt.sign(claims, idp.signingKeyPem, { algorithm: 'RS256', keyid: idp.kid });
};


beforeAll(async () => {
  idp = await startDemoOidcProvider({ clients: [CLIENT], accounts: ACCOUNTS });
  userinfoIdp = await startDemoOidcProvider({
    clients: [USERINFO_CLIENT],
    accounts: { 'zhao.lei': { name: 'Zhao Lei', email: 'zhao.lei@gov-id.example', email_verified: true, province: 'CQ', org: 'Chongqing Science City', affiliation: 'academic' } },
    profileClaimsIn: 'userinfo',
  });
  const offlinePort = await freePort();
  platform = await startOwnPlatform('platform-oidc', {
    OIDC_PROVIDERS: JSON.stringify([
      {
        id: 'demo-idp',
        name: 'Demo University SSO',
        issuer: idp.issuer,
        clientId: CLIENT.clientId,
        clientSecret: CLIENT.clientSecret,
        claims: { homeProvince: 'province', institution: 'org', affiliation: 'affiliation' },
        affiliationValues: { company: 'enterprise' },
        attributesVerified: true,
      },
      { id: 'offline-idp', name: 'Offline Gov ID', issuer: `http://127.0.0.1:${offlinePort}`, clientId: 'x', clientSecret: 'y' },
      {
        id: 'gov-id',
        name: 'Government service account',
        issuer: userinfoIdp.issuer,
        clientId: USERINFO_CLIENT.clientId,
        clientSecret: USERINFO_CLIENT.clientSecret,
        claims: { homeProvince: 'province', institution: 'org', affiliation: 'affiliation' },
        // A general account: what it says of institution and affiliation is kept, unverified.
        attributesVerified: false,
      },
    ]),
    OIDC_REDIRECT_URIS: REDIRECT_URI,
  });
  gateway = await startOwnGateway('gateway-oidc', {}, { platform: platform.url });
  gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await platform?.close();
  await idp?.close();
  await userinfoIdp?.close();
  await closePools();
});

afterEach(() => {
  idp.setIdTokenFilter(null);
  userinfoIdp.setIdTokenFilter(null);
  userinfoIdp.setUserinfoFilter(null);
});

test('the providers are listed for a sign-in page', async () => {
  const { body } = await call('{ identityProviders { id name } }');
  expect(body.data.identityProviders).toEqual([
    { id: 'demo-idp', name: 'Demo University SSO' },
    { id: 'offline-idp', name: 'Offline Gov ID' },
    { id: 'gov-id', name: 'Government service account' },
  ]);
});

test('a first sign-in through the provider creates the account from the mapped claims, and its token books an instrument', async () => {
  const start = await begin();
  const authorization = new URL(start.authorizationUrl);
  expect(authorization.origin).toBe(idp.issuer);
  expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(authorization.searchParams.get('nonce')).toBeTruthy();
  expect(authorization.searchParams.get('state')).toBe(start.state);
  expect(authorization.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);

  const callback = await idp.signIn(start.authorizationUrl, 'zhang.min');
  expect(callback.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback });
  expect(body.errors).toBeUndefined();
  const session = body.data.completeExternalSignIn;
  expect(session.user).toMatchObject({
    displayName: 'Zhang Min',
    homeProvince: 'CHONGQING',
    institution: 'Chongqing University',
    affiliation: 'ACADEMIC',
    affiliationVerified: true,
    email: 'zhang.min@cqu.example',
    emailVerified: true,
    externalIdentities: [{ provider: 'demo-idp', subject: 'zhang.min' }],
  });
  expect(session.user.username).toMatch(/^demo-idp\.[0-9a-f]{10}$/);
  expect(claimsOf(session.token)).toMatchObject({
    sub: session.user.id, province: 'chongqing', roles: ['researcher'], institution: 'Chongqing University', affiliation: 'academic',
  });

  // The platform's own tokens, exactly as after a password login: a refresh works, and the token books.
  const refreshed = await call('mutation($r: String!) { refreshSession(refreshToken: $r) { token } }', { r: session.refreshToken });
  expect(claimsOf(refreshed.body.data.refreshSession.token)).toMatchObject({ sub: session.user.id, affiliation: 'academic' });
  const instrumentId = await createInstrument('sichuan');
  const slot = slots.take();
  const booked = await call(
    'mutation($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!) { bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: "Sequencing run for a provider sign-in", idempotencyKey: $k) { id status user { displayName } } }',
    { i: instrumentId, s: slot.start, e: slot.end, k: newKey() },
    session.token,
  );
  expect(booked.body.errors).toBeUndefined();
  expect(booked.body.data.bookSichuanInstrument).toMatchObject({ status: 'REQUESTED', user: { displayName: 'Zhang Min' } });

  // The second sign-in finds the same account.
  const again = await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('zhang.min') });
  expect(again.body.data.completeExternalSignIn.user.id).toBe(session.user.id);
});

test('provider values are translated by the mapping, and an unverified mapping is kept as such', async () => {
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('wu.qiang') });
  expect(body.data.completeExternalSignIn.user).toMatchObject({ homeProvince: 'SICHUAN', affiliation: 'ENTERPRISE', institution: 'Chengdu Robotics Ltd' });
  const minimal = await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('second.person') });
  expect(minimal.body.data.completeExternalSignIn.user).toMatchObject({
    displayName: 'Someone Else', homeProvince: null, institution: null, affiliation: null, affiliationVerified: false, email: null,
  });
});

test('claims the ID token lacks are read from the userinfo endpoint; a mapping that does not vouch for them keeps them unverified', async () => {
  let idTokenClaims: Record<string, unknown> = {};
  userinfoIdp.setIdTokenFilter((idToken) => {
    idTokenClaims = jwt.decode(idToken) as Record<string, unknown>;
    return idToken;
  });
  const before = userinfoIdp.userinfoRequests();
  const { body } = await call(COMPLETE, { p: 'gov-id', c: await userinfoIdp.signIn((await begin('gov-id')).authorizationUrl, 'zhao.lei') });
  expect(body.errors).toBeUndefined();
  expect(idTokenClaims).toMatchObject({ sub: 'zhao.lei' });
  expect(idTokenClaims).not.toHaveProperty('name');
  expect(userinfoIdp.userinfoRequests()).toBe(before + 1);
  expect(body.data.completeExternalSignIn.user).toMatchObject({
    displayName: 'Zhao Lei', email: 'zhao.lei@gov-id.example', emailVerified: true, homeProvince: 'CHONGQING', institution: 'Chongqing Science City',
    affiliation: 'ACADEMIC', affiliationVerified: false, externalIdentities: [{ provider: 'gov-id', subject: 'zhao.lei' }],
  });
  // A provider whose ID token holds every mapped claim is not asked again.
  const asked = idp.userinfoRequests();
  expect((await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('zhang.min') })).body.errors).toBeUndefined();
  expect(idp.userinfoRequests()).toBe(asked);
});

test('a userinfo answer about another person than the ID token is refused, and nobody is signed in', async () => {
  const callback = await userinfoIdp.signIn((await begin('gov-id')).authorizationUrl, 'zhao.lei');
  userinfoIdp.setUserinfoFilter((claims) => ({ ...claims, sub: 'someone.else' }));
  const { body } = await call(COMPLETE, { p: 'gov-id', c: callback });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'RESPONSE_REJECTED' });
});

test.each([
  ['no ID token at all', () => null, /ID token|id_token/],
  ['an ID token that is not a JWT', () => 'not-a-jwt', /JWT|token/i],
  ['an unsigned ID token (alg none)', (idToken: string) => {
    const claims = jwt.decode(idToken) as Record<string, unknown>;
    return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  }, /alg|signature|JWS/i],
  ['an ID token signed with a key that is not the provider\'s', (idToken: string) => {
    const claims = jwt.decode(idToken) as Record<string, unknown>;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return jwt.sign(claims, privateKey.export({ format: 'pem', type: 'pkcs8' }), { algorithm: 'RS256', keyid: idp.kid });
  }, /signature/i],
])('a token answer with %s is refused with a reason, never a crash', async (_what, filter, mentions) => {
  const callback = await callbackFor('tamper.target');
  idp.setIdTokenFilter(filter);
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'RESPONSE_REJECTED' });
  expect(body.errors![0]!.message).toMatch(mentions);
});

test('a provider that sends the person back with an error (access denied) is reported as its refusal', async () => {
  const { state } = await begin();
  const callback = `${REDIRECT_URI}?error=access_denied&error_description=The+person+declined&state=${state}&iss=${encodeURIComponent(idp.issuer)}`;
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'PROVIDER_REFUSED' });
  expect(body.errors![0]!.message).toContain('access_denied');
});

test('a signed-in password user links a provider identity, lists it, signs in with it, and unlinks it', async () => {
  const password = await tokenFor('li.wei');
  const link = await call('mutation($p: String!, $r: String!) { beginExternalIdentityLink(provider: $p, redirectUri: $r) { authorizationUrl } }', { p: 'demo-idp', r: REDIRECT_URI }, password);
  const callback = await idp.signIn(link.body.data.beginExternalIdentityLink.authorizationUrl, 'linked.person');

  // The link's callback is not a sign-in, and nobody else can complete it.
  const stolen = await call('mutation($p: String!, $c: String!) { completeExternalIdentityLink(provider: $p, callbackUrl: $c) { provider } }', { p: 'demo-idp', c: callback }, await tokenFor('chen.jing'));
  expectRefused(stolen.body, 'UNAUTHENTICATED', { reason: 'STATE_UNKNOWN' });

  const again = await call('mutation($p: String!, $r: String!) { beginExternalIdentityLink(provider: $p, redirectUri: $r) { authorizationUrl } }', { p: 'demo-idp', r: REDIRECT_URI }, password);
  const linked = await call(
    'mutation($p: String!, $c: String!) { completeExternalIdentityLink(provider: $p, callbackUrl: $c) { provider subject linkedAt } }',
    { p: 'demo-idp', c: await idp.signIn(again.body.data.beginExternalIdentityLink.authorizationUrl, 'linked.person') },
    password,
  );
  expect(linked.body.data.completeExternalIdentityLink).toMatchObject({ provider: 'demo-idp', subject: 'linked.person' });
  const me = await call('{ me { username externalIdentities { provider subject } } }', {}, password);
  expect(me.body.data.me).toEqual({ username: 'li.wei', externalIdentities: [{ provider: 'demo-idp', subject: 'linked.person' }] });

  const signedIn = await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('linked.person') });
  expect(signedIn.body.data.completeExternalSignIn.user.username).toBe('li.wei');

  // Linking the same identity to a second account is refused.
  const other = await tokenFor('chen.jing');
  const otherStart = await call('mutation($p: String!, $r: String!) { beginExternalIdentityLink(provider: $p, redirectUri: $r) { authorizationUrl } }', { p: 'demo-idp', r: REDIRECT_URI }, other);
  const taken = await call(
    'mutation($p: String!, $c: String!) { completeExternalIdentityLink(provider: $p, callbackUrl: $c) { provider } }',
    { p: 'demo-idp', c: await idp.signIn(otherStart.body.data.beginExternalIdentityLink.authorizationUrl, 'linked.person') },
    other,
  );
  expectRefused(taken.body, 'CONFLICT');

  const unlinked = await call('mutation { unlinkExternalIdentity(provider: "demo-idp") }', {}, password);
  expect(unlinked.body.data.unlinkExternalIdentity).toBe(true);
  expectRefused((await call('mutation { unlinkExternalIdentity(provider: "demo-idp") }', {}, password)).body, 'BAD_USER_INPUT');
});

test('an account created through a provider cannot unlink its only way in', async () => {
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: await callbackFor('tamper.target') });
  const token = body.data.completeExternalSignIn.token;
  expectRefused((await call('mutation { unlinkExternalIdentity(provider: "demo-idp") }', {}, token)).body, 'CONFLICT');
});

test('linking needs a person: anonymous callers are UNAUTHENTICATED, partner clients FORBIDDEN', async () => {
  const LINK = 'mutation($p: String!, $r: String!) { beginExternalIdentityLink(provider: $p, redirectUri: $r) { authorizationUrl } }';
  expectRefused((await call(LINK, { p: 'demo-idp', r: REDIRECT_URI })).body, 'UNAUTHENTICATED');
  const partner = await clientToken(DEMO_PARTNER_CLIENT.clientId, DEMO_PARTNER_CLIENT.clientSecret);
  expectRefused((await call(LINK, { p: 'demo-idp', r: REDIRECT_URI }, partner)).body, 'FORBIDDEN');
  expectRefused((await call('mutation($p: String!, $c: String!) { completeExternalIdentityLink(provider: $p, callbackUrl: $c) { provider } }', { p: 'demo-idp', c: `${REDIRECT_URI}?code=x&state=y` }, partner)).body, 'FORBIDDEN');
});

test('a state is single use: replaying a completed callback is refused', async () => {
  const callback = await callbackFor('zhang.min');
  expect((await call(COMPLETE, { p: 'demo-idp', c: callback })).body.errors).toBeUndefined();
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: callback })).body, 'UNAUTHENTICATED', { reason: 'STATE_UNKNOWN' });
});

test('a wrong state, a missing state and an expired sign-in are refused, and nothing is signed in', async () => {
  const callback = new URL(await callbackFor('zhang.min'));
  const wrong = new URL(callback);
  wrong.searchParams.set('state', 'not-the-state-this-sign-in-began-with');
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: wrong.href })).body, 'UNAUTHENTICATED', { reason: 'STATE_UNKNOWN' });
  const none = new URL(callback);
  none.searchParams.delete('state');
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: none.href })).body, 'BAD_USER_INPUT');

  const late = new URL(await callbackFor('zhang.min'));
  await sql('platform', "UPDATE external_sign_in_states SET expires_at = now() - interval '1 second'");
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: late.href })).body, 'UNAUTHENTICATED', { reason: 'STATE_EXPIRED' });
});

test('a callback completed as another provider, or at another address, is refused', async () => {
  const callback = await callbackFor('zhang.min');
  expectRefused((await call(COMPLETE, { p: 'offline-idp', c: callback })).body, 'UNAUTHENTICATED', { reason: 'STATE_UNKNOWN' });
  const elsewhere = (await callbackFor('zhang.min')).replace(REDIRECT_URI, 'http://127.0.0.1:5173/elsewhere');
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: elsewhere })).body, 'BAD_USER_INPUT');
});

test('an ID token altered after signing fails its signature check against the provider\'s keys', async () => {
  const callback = await callbackFor('tamper.target');
  idp.setIdTokenFilter((idToken) => {
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims['sub'] = 'zhang.min';
    return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  });
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'RESPONSE_REJECTED' });
  expect(body.errors![0]!.message).toMatch(/signature/i);
});

test.each([
  ['a wrong nonce', (claims: Record<string, unknown>) => { claims['nonce'] = 'a-nonce-of-another-sign-in'; }, /"nonce"/],
  ['an expired ID token', (claims: Record<string, unknown>) => { claims['iat'] = Math.floor(Date.now() / 1000) - 7200; claims['exp'] = Math.floor(Date.now() / 1000) - 3600; }, /"exp"/],
  ['an unknown issuer', (claims: Record<string, unknown>) => { claims['iss'] = 'https://id.attacker.example'; }, /"iss"/],
  ['another audience', (claims: Record<string, unknown>) => { claims['aud'] = 'some-other-client'; }, /"aud"/],
])('%s, even signed with the provider\'s key, is refused', async (_what, change, mentions) => {
  const callback = await callbackFor('tamper.target');
  idp.setIdTokenFilter(resigned(change));
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'RESPONSE_REJECTED' });
  expect(body.errors![0]!.message).toMatch(mentions);
});

test('an unconfigured provider and a redirect URI off the allow-list are refused with the allowed ones named', async () => {
  const unknown = await call(BEGIN, { p: 'evil-idp', r: REDIRECT_URI });
  expectRefused(unknown.body, 'BAD_USER_INPUT');
  expect(unknown.body.errors![0]!.message).toContain('demo-idp');
  const offList = await call(BEGIN, { p: 'demo-idp', r: 'https://attacker.example/steal' });
  expectRefused(offList.body, 'BAD_USER_INPUT');
  expect(offList.body.errors![0]!.extensions!['argument']).toBe('redirectUri');
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: 'not a url' })).body, 'BAD_USER_INPUT');
  expectRefused((await call(COMPLETE, { p: 'demo-idp', c: `${REDIRECT_URI}?code=x&state=${'s'.repeat(5000)}` })).body, 'BAD_USER_INPUT');
});

test('a provider that is down answers SERVICE_UNAVAILABLE, and password login still works', async () => {
  const { body } = await call(BEGIN, { p: 'offline-idp', r: REDIRECT_URI });
  expectRefused(body, 'SERVICE_UNAVAILABLE', { reason: 'PROVIDER_UNAVAILABLE' });
  expect(body.errors![0]!.message).toMatch(/password/);
  const login = await call('mutation { login(username: "chen.jing", password: "shuangcheng-demo") { token } }');
  expect(login.body.data.login.token).toBeTruthy();
});

test('the provider refusing the code (e.g. used twice at the provider) is reported, not a crash', async () => {
  const start = await begin();
  const callback = new URL(await idp.signIn(start.authorizationUrl, 'zhang.min'));
  callback.searchParams.set('code', 'a-code-the-provider-never-issued');
  const { body } = await call(COMPLETE, { p: 'demo-idp', c: callback.href });
  expectRefused(body, 'UNAUTHENTICATED', { reason: 'PROVIDER_REFUSED' });
});

test('seeded accounts carry their affiliation in every access token', async () => {
  expect(claimsOf(await tokenFor('liu.yang'))).toMatchObject({ province: 'chongqing', institution: 'Chongqing Bio-Analytics Co., Ltd.', affiliation: 'enterprise' });
  expect(claimsOf(await tokenFor('chen.jing'))).toMatchObject({ institution: 'Chongqing University', affiliation: 'academic' });
  expect(claimsOf(await tokenFor('platform.admin'))).not.toHaveProperty('affiliation');
});

test('a platform admin sets an affiliation, verified, and the next token carries it; nobody else can', async () => {
  const login = await call('mutation { login(username: "li.wei", password: "shuangcheng-demo") { refreshToken user { id } } }');
  const { id } = login.body.data.login.user;
  const SET = 'mutation($id: ID!, $i: String, $a: AffiliationKind) { setUserAffiliation(userId: $id, institution: $i, affiliation: $a) { institution affiliation affiliationVerified } }';
  expectRefused((await call(SET, { id, i: 'Self-declared Corp', a: 'ENTERPRISE' }, await tokenFor('li.wei'))).body, 'FORBIDDEN');
  expectRefused((await call(SET, { id, i: 'X', a: 'ENTERPRISE' })).body, 'UNAUTHENTICATED');
  const admin = await tokenFor('platform.admin');
  expectRefused((await call(SET, { id: 'not-a-uuid', i: 'X', a: 'ACADEMIC' }, admin)).body, 'BAD_USER_INPUT');
  expectRefused((await call(SET, { id, i: 'x'.repeat(201), a: 'ACADEMIC' }, admin)).body, 'BAD_USER_INPUT');
  const set = await call(SET, { id, i: 'West China Hospital, Sichuan University', a: 'ACADEMIC' }, admin);
  expect(set.body.data.setUserAffiliation).toEqual({ institution: 'West China Hospital, Sichuan University', affiliation: 'ACADEMIC', affiliationVerified: true });
  const refreshed = await call('mutation($r: String!) { refreshSession(refreshToken: $r) { token } }', { r: login.body.data.login.refreshToken });
  expect(claimsOf(refreshed.body.data.refreshSession.token)).toMatchObject({ institution: 'West China Hospital, Sichuan University', affiliation: 'academic' });
  // Another person's own fields stay hidden from a researcher (asked as the gateway asks, when a province names a user).
  const entity = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { displayName institution email } } }';
  const asked = (token: string) => graphql(platform.url, entity, { variables: { r: [{ __typename: 'User', id }] }, token, headers: asGateway() });
  expect((await asked(await tokenFor('chen.jing'))).body.data._entities[0]).toEqual({ displayName: 'Li Wei', institution: null, email: null });
  expect((await asked(await tokenFor('li.wei'))).body.data._entities[0]).toEqual({ displayName: 'Li Wei', institution: 'West China Hospital, Sichuan University', email: 'li.wei@scu.example' });
});
