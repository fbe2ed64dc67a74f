import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../../gateway/src';
import { createLogger } from '../../shared/src';
import { graphqlFrom } from '../support/rawHttp';
import { asGateway, graphql, onlyError, testSystem, type GraphQLResponse } from '../support/system';

/*
 * Limits counted per address hold behind a proxy: the gateway counts each
 * anonymous caller by the address its trusted load balancer saw, the platform
 * counts each sign-in by the address the gateway saw, and nobody else's
 * x-forwarded-for is believed (TRUSTED_PROXIES). Callers are told apart by the
 * loopback address they call from (127.0.0.x); the test system's gateway and
 * platform trust 127.0.0.1 only, where the services, the proxies below and the
 * tests' ordinary requests come from.
 */

/** A load balancer as nginx with `$proxy_add_x_forwarded_for` is one: it appends the address it saw to x-forwarded-for. */
async function startProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const { port, pathname } = new URL(target);
  const server = createServer((req, res) => {
    const seen = req.socket.remoteAddress ?? '';
    const chain = req.headers['x-forwarded-for'];
    const headers = { ...req.headers, 'x-forwarded-for': chain ? `${chain}, ${seen}` : seen };
    // Its own connections leave from 127.0.0.1, the address the gateways trust.
    const upstream = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathname}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const codeOf = (body: GraphQLResponse['body']) => onlyError(body).extensions?.['code'];
/** A stranger's address per call, for callers who forge x-forwarded-for to look like someone new every time. */
let forged = 0;
const forgedAddress = () => `198.51.100.${(forged++ % 250) + 1}`;

describe("the gateway's rate limit behind a load balancer", () => {
  /** RATE_LIMIT_PER_MINUTE of the gateway started here. */
  const LIMIT = 5;
  let gateway: RunningGateway;
  let gatewayUrl: string;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    const { subgraphUrls, gatewaySecret, logDir } = testSystem();
    const config = loadGatewayConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
      PLATFORM_URL: subgraphUrls.platform,
      SICHUAN_URL: subgraphUrls.sichuan,
      CHONGQING_URL: subgraphUrls.chongqing,
      GATEWAY_SECRET: gatewaySecret,
      SUPERGRAPH_WATCH: 'false',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      // Only the load balancer's address: 127.0.0.1, where the proxy below and this test's own requests come from.
      TRUSTED_PROXIES: '127.0.0.1/32',
    });
    gateway = await startGateway(config, createLogger('limited-gateway', 'warn', pino.destination({ dest: join(logDir, 'limited-gateway.log'), sync: true })));
    gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
    proxy = await startProxy(gatewayUrl);
  });

  afterAll(async () => {
    await proxy?.close();
    await gateway?.close();
  });

  /** Sends one request more than the limit from `send`, expecting the limit's answers: LIMIT times 200, then 429. */
  async function exhaust(send: () => Promise<{ status: number; body: GraphQLResponse['body'] }>) {
    for (let i = 0; i < LIMIT; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect({ status: refused.status, code: codeOf(refused.body) }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  }

  it('gives anonymous callers with different trusted forwarded addresses a bucket each', async () => {
    const as = (address: string) => () => graphql(gatewayUrl, '{ __typename }', { headers: { 'x-forwarded-for': address } });
    await exhaust(as('203.0.113.1'));
    const other = await as('203.0.113.2')();
    expect({ status: other.status, errors: other.body.errors }).toEqual({ status: 200, errors: undefined });
  });

  it('through a real proxy hop, counts each client by the address the proxy saw, whatever x-forwarded-for it sends', async () => {
    await exhaust(() => graphqlFrom('127.0.0.5', proxy.url, '{ __typename }', { headers: { 'x-forwarded-for': forgedAddress() } }));
    const other = await graphqlFrom('127.0.0.6', proxy.url, '{ __typename }');
    expect({ status: other.status, errors: other.body.errors }).toEqual({ status: 200, errors: undefined });
    // Around the proxy, straight at the gateway: x-forwarded-for from anyone but the proxy is not read at all.
    await exhaust(() => graphqlFrom('127.0.0.7', gatewayUrl, '{ __typename }', { headers: { 'x-forwarded-for': forgedAddress() } }));
  });
});

describe("the platform's login throttle", () => {
  /** LOGIN_MAX_FAILURES_PER_ADDRESS's default, which the test system keeps. */
  const PER_ADDRESS = 20;
  const RUN = randomBytes(2).toString('hex');
  let sequence = 0;
  /** A sign-in that fails for an account nobody has, a new one each time, so only the per-address count can refuse it. */
  const failedSignIn = (headers: Record<string, string> = {}) => ({
    variables: { u: `ghost.${RUN}.${++sequence}` },
    headers: { 'x-forwarded-for': forgedAddress(), ...headers },
  });
  const LOGIN = 'mutation Login($u: String!) { login(username: $u, password: "wrong-password") { token } }';

  /** PER_ADDRESS failures from `send`, each with a fresh forged x-forwarded-for; then the address is refused. */
  async function exhaust(send: () => Promise<{ body: GraphQLResponse['body'] }>) {
    for (let i = 0; i < PER_ADDRESS; i++) expect(codeOf((await send()).body)).toBe('UNAUTHENTICATED');
    const refused = onlyError((await send()).body);
    expect(refused.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.message).toMatch(/from your network address/);
  }

  it('through a proxy and the gateway, counts each client by the address the proxy saw, whatever x-forwarded-for it sends', async () => {
    const proxy = await startProxy(testSystem().gatewayUrl);
    try {
      await exhaust(() => graphqlFrom('127.0.0.2', proxy.url, LOGIN, failedSignIn()));
      expect(codeOf((await graphqlFrom('127.0.0.3', proxy.url, LOGIN, failedSignIn())).body)).toBe('UNAUTHENTICATED');
    } finally {
      await proxy.close();
    }
  });

  it('counts a caller that reaches the platform directly by its own address, whatever x-forwarded-for it sends', async () => {
    await exhaust(() => graphqlFrom('127.0.0.4', testSystem().subgraphUrls.platform, LOGIN, failedSignIn()));
  });

  // Last: it uses up 127.0.0.1's count at the platform, the address the tests' direct calls come from.
  it("believes x-forwarded-for from the gateway's address only with the gateway's secret, which other processes there lack", async () => {
    const platform = testSystem().subgraphUrls.platform;
    await exhaust(() => graphqlFrom('127.0.0.1', platform, LOGIN, failedSignIn()));
    expect(codeOf((await graphqlFrom('127.0.0.1', platform, LOGIN, failedSignIn(asGateway()))).body)).toBe('UNAUTHENTICATED');
  });
});
