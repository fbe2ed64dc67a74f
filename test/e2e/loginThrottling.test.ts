import { randomBytes, randomInt } from 'node:crypto';
import { createLogger, type RunningService } from '../../shared/src';
import { loadPlatformConfig, startPlatformSubgraph } from '../../subgraphs/platform/src';
import { DEMO_PASSWORD } from '../support/demoData';
import { asGateway, graphql, onlyError, testSystem, type GraphQLResponse } from '../support/system';
import { createPartnerClient, createUser } from '../support/throwawayIdentities';

// Every account and client throttled here is a throw-away one, and every attempt names its own forwarded address
// (the file's gateway trusts x-forwarded-for from loopback, as behind a load balancer; at the platform the attempt
// also shows the gateway secret, as the gateway does): nothing here counts against the demo accounts or the
// address the other tests come from.

const RUN = randomBytes(2).toString('hex');
let sequence = 0;
/** A fresh IPv6 /64 per call: the platform counts an IPv6 caller by its /64. */
const freshAddress = () => `2001:db8:${RUN}:${(++sequence).toString(16)}::1`;

const LOGIN = 'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
const CLIENT_TOKEN = 'mutation ClientToken($c: String!, $s: String!) { issueClientToken(clientId: $c, clientSecret: $s) { token } }';

type Route = 'gateway' | 'platform';
const ROUTES: readonly Route[] = ['gateway', 'platform'];
const urlOf = (route: Route) => (route === 'gateway' ? testSystem().gatewayUrl : testSystem().subgraphUrls.platform);
/** The caller's address as a trusted hop writes it: a load balancer before the gateway, the gateway before the platform. */
const forwardedFor = (url: string, address: string) => ({ 'x-forwarded-for': address, ...(url === testSystem().gatewayUrl ? {} : asGateway()) });

/** Who signs in: a person (username and password) or a partner client (client id and secret). */
interface SignInKind {
  readonly what: 'account' | 'client';
  create(): Promise<{ name: string; secret: string }>;
  attempt(url: string, name: string, secret: string, address: string): Promise<GraphQLResponse>;
}

const PERSON: SignInKind = {
  what: 'account',
  create: async () => ({ name: (await createUser('lock')).username, secret: DEMO_PASSWORD }),
  attempt: (url, name, secret, address) => graphql(url, LOGIN, { variables: { u: name, p: secret }, headers: forwardedFor(url, address) }),
};

const PARTNER_CLIENT: SignInKind = {
  what: 'client',
  create: async () => {
    const { clientId, clientSecret } = await createPartnerClient('lock');
    return { name: clientId, secret: clientSecret };
  },
  attempt: (url, name, secret, address) => graphql(url, CLIENT_TOKEN, { variables: { c: name, s: secret }, headers: forwardedFor(url, address) }),
};

function expectWrongSecret(response: GraphQLResponse) {
  expect(onlyError(response.body).extensions?.['code']).toBe('UNAUTHENTICATED');
}

function expectSignedIn(response: GraphQLResponse) {
  expect(response.body.errors).toBeUndefined();
  const [answer] = Object.values(response.body.data ?? {}) as { token: string }[];
  expect(answer!.token.split('.')).toHaveLength(3);
}

function expectRateLimited(response: GraphQLResponse, message: RegExp) {
  const error = onlyError(response.body);
  expect(error.extensions?.['code']).toBe('RATE_LIMITED');
  const retryAfterSeconds = error.extensions?.['retryAfterSeconds'] as number;
  expect(retryAfterSeconds).toBeGreaterThan(0);
  expect(retryAfterSeconds).toBeLessThanOrEqual(900);
  expect(error.message).toMatch(message);
  expect(error.message).toMatch(/try again in \d+ (minutes?|seconds?)/);
}

/** `n` wrong secrets for `name` from `address`, each answered as a wrong secret (not yet refused). */
async function failFrom(kind: SignInKind, url: string, name: string, address: string, n: number) {
  for (let i = 0; i < n; i += 1) expectWrongSecret(await kind.attempt(url, name, 'wrong-secret', address));
}

describe.each([
  ['a person', PERSON],
  ['a partner client', PARTNER_CLIENT],
])('signing in as %s', (_label, kind) => {
  it.each(ROUTES)('through the %s: wrong secrets from one address lock that address only; the owner still gets in from another', async (route) => {
    const { name, secret } = await kind.create();
    const [attacker, owner] = [freshAddress(), freshAddress()];
    await failFrom(kind, urlOf(route), name, attacker, 5);
    const fromHere = new RegExp(`for this ${kind.what} from your network address`);
    for (const url of ROUTES.map(urlOf)) expectRateLimited(await kind.attempt(url, name, secret, attacker), fromHere);
    expectSignedIn(await kind.attempt(urlOf(route), name, secret, owner));
  });

  it('after 50 failures from many addresses, through the gateway and directly, refuses unknown addresses and lets the owner in from one it used before', async () => {
    const { name, secret } = await kind.create();
    const home = freshAddress();
    expectSignedIn(await kind.attempt(testSystem().gatewayUrl, name, secret, home));
    // Ten addresses, five failures each, half of them straight at the platform: exactly the account-wide 50. One after
    // another: fifty password checks sent at once queued past the gateway's subgraph timeout on a busy machine.
    for (let i = 0; i < 10; i += 1) await failFrom(kind, urlOf(ROUTES[i % 2]!), name, freshAddress(), 5);
    const manyAddresses = new RegExp(`for this ${kind.what} from many network addresses`);
    for (const url of ROUTES.map(urlOf)) {
      expectRateLimited(await kind.attempt(url, name, secret, freshAddress()), manyAddresses);
      expectSignedIn(await kind.attempt(url, name, secret, home));
    }
  }, 60_000);
});

describe('login throttling', () => {
  it('refuses an unknown username exactly as a real one, so the refusal does not tell whether an account exists', async () => {
    const { username } = await createUser('lock');
    const refusals = [];
    for (const name of [username, `ghost.${RUN}.${++sequence}`]) {
      const address = freshAddress();
      await failFrom(PERSON, testSystem().gatewayUrl, name, address, 5);
      const { body } = await PERSON.attempt(testSystem().gatewayUrl, name, 'wrong-secret', address);
      refusals.push({ message: onlyError(body).message.replace(/\d+ (minutes?|seconds?)/, 'N'), code: onlyError(body).extensions?.['code'] });
    }
    expect(refusals[0]).toEqual({ message: 'Too many failed sign-in attempts for this account from your network address; try again in N.', code: 'RATE_LIMITED' });
    expect(refusals[1]).toEqual(refusals[0]);
  });

  it('keeps people and partner clients apart: a username typed as client:<id> does not count against that client', async () => {
    const { name, secret } = await PARTNER_CLIENT.create();
    const address = freshAddress();
    await failFrom(PERSON, testSystem().gatewayUrl, `client:${name}`, address, 5);
    expectSignedIn(await PARTNER_CLIENT.attempt(testSystem().gatewayUrl, name, secret, address));
  });

  it('counts a 256-character username that lower-casing makes twice as long like any other', async () => {
    // "İ".toLowerCase() is "i" and a combining dot: the name the throttle counts is 512 characters.
    expectWrongSecret(await PERSON.attempt(testSystem().gatewayUrl, 'İ'.repeat(256), 'wrong-secret', freshAddress()));
  });

  it('refuses an address after 20 failures over any accounts, and only that address', async () => {
    // TEST-NET-3, which no other test file uses: the bad-input suite fails sign-ins from TEST-NET-2 addresses.
    const address = `203.0.113.${randomInt(1, 127)}`;
    for (let i = 0; i < 20; i += 1) await failFrom(PERSON, testSystem().gatewayUrl, `ghost.${RUN}.${++sequence}`, address, 1);
    const username = `ghost.${RUN}.${++sequence}`;
    expectRateLimited(await PERSON.attempt(testSystem().gatewayUrl, username, 'wrong-secret', address), /^Too many failed sign-in attempts from your network address/);
    expectWrongSecret(await PERSON.attempt(testSystem().gatewayUrl, username, 'wrong-secret', `203.0.113.${randomInt(128, 255)}`));
  });

  it('counts an IPv6 caller by its /64, so stepping through addresses does not help', async () => {
    const block = `2001:db8:${RUN}:${(++sequence).toString(16)}`;
    for (let i = 1; i <= 20; i += 1) await failFrom(PERSON, testSystem().gatewayUrl, `ghost.${RUN}.${++sequence}`, `${block}::${i.toString(16)}`, 1);
    expectRateLimited(await PERSON.attempt(testSystem().gatewayUrl, `ghost.${RUN}.${++sequence}`, 'wrong-secret', `${block}:ffff::1`), /from your network address/);
  });

  describe('with a second platform replica on the same database', () => {
    let second: RunningService;

    beforeAll(async () => {
      const system = testSystem();
      const config = loadPlatformConfig({
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: system.databaseUrls.platform,
        JWT_SIGNING_KEY_FILE: system.signingKeyFile,
        GATEWAY_SECRET: system.gatewaySecret,
        TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
        MIGRATE_ON_START: 'false',
        SEED_DEMO_DATA: 'false',
      });
      second = await startPlatformSubgraph(config, createLogger('platform-2', 'silent'));
    });
    afterAll(() => second?.close());

    it('counts failures at one replica at the other: the replicas share one count', async () => {
      const { name, secret } = await PERSON.create();
      const [attacker, owner] = [freshAddress(), freshAddress()];
      await failFrom(PERSON, testSystem().subgraphUrls.platform, name, attacker, 3);
      await failFrom(PERSON, second.url, name, attacker, 2);
      for (const url of [testSystem().subgraphUrls.platform, second.url]) {
        expectRateLimited(await PERSON.attempt(url, name, secret, attacker), /for this account from your network address/);
      }
      expectSignedIn(await PERSON.attempt(second.url, name, secret, owner));
    });
  });
});
