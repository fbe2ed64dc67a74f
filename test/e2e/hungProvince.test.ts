import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { countersDuring, scrape, valueOf } from '../support/prometheus';
import { graphql, onlyError, testSystem } from '../support/system';

/**
 * A province that is hung, not dead: its port accepts connections and reads
 * requests, and nothing ever answers (a stuck event loop, a deadlocked
 * process). A gateway of this file's own sends Sichuan's fetches there and
 * Chongqing's and the platform's to this file's real subgraphs. The tests
 * run in order: the second finds the circuit as the first left it.
 */
let hung: HungServer;
let gateway: ChildService;
let url: string;

/** Tight limits so the test takes seconds; the deadline, not SUBGRAPH_RETRIES, decides how many attempts are sent. */
const TIMEOUT_MS = 1_000;
const DEADLINE_MS = 2_800;
const CIRCUIT_BREAKER_FAILURES = 4;

beforeAll(async () => {
  hung = await startHungServer();
  const { subgraphUrls, gatewaySecret } = testSystem();
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  gateway = spawnService('hung-province-gateway', 'gateway/src/main.ts', {
    GATEWAY_SECRET: gatewaySecret,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
    PLATFORM_URL: subgraphUrls.platform,
    SICHUAN_URL: hung.url,
    CHONGQING_URL: subgraphUrls.chongqing,
    SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
    GATEWAY_REQUEST_DEADLINE_MS: String(DEADLINE_MS),
    // Five retries allowed: only two attempts of 1 s fit in 2.8 s.
    SUBGRAPH_RETRIES: '5',
    CIRCUIT_BREAKER_FAILURES: String(CIRCUIT_BREAKER_FAILURES),
    // The probe would hang as well; once open, the circuit stays open for this file.
    CIRCUIT_BREAKER_RESET_MS: '600000',
    RATE_LIMIT_PER_MINUTE: '0',
  }, mkdtempSync(join(tmpdir(), 'hung-province-gateway-')));
  await gateway.waitUntil('live', url);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await hung?.close();
});

interface HungServer {
  readonly url: string;
  /** GraphQL requests that reached it (its health route not counted). */
  graphqlRequests(): number;
  close(): Promise<void>;
}

async function startHungServer(): Promise<HungServer> {
  let graphqlRequests = 0;
  const server = http.createServer((req) => {
    if (req.url === '/graphql') graphqlRequests += 1;
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    graphqlRequests: () => graphqlRequests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const BOTH = '{ sichuan { name instruments(first: 2) { totalCount } } chongqing { name instruments(first: 2) { totalCount } } }';

/** Asks both provinces: Chongqing's part must come back whole, Sichuan's as null with one error naming it; returns that error's reason. */
async function bothProvinces(): Promise<unknown> {
  const { status, body } = await graphql(url, BOTH);
  expect(status).toBe(200);
  expect(body.data.chongqing).toEqual({ name: 'Chongqing', instruments: { totalCount: expect.any(Number) } });
  expect(body.data.chongqing.instruments.totalCount).toBeGreaterThan(0);
  expect(body.data.sichuan).toBeNull();
  const error = onlyError(body);
  expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan' });
  expect(error.message).toMatch(/^The sichuan service is unavailable right now \(.+\); the rest of the answer is complete\.$/);
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|AbortError|TimeoutError/);
  return error.extensions!['reason'];
}

async function sichuanCircuit(): Promise<string | undefined> {
  const samples = await scrape(url);
  return ['closed', 'open', 'half-open'].find((state) => valueOf(samples, 'gateway_subgraph_circuit_state', { subgraph: 'sichuan', state }) === 1);
}

describe('a province that accepts connections and never answers', () => {
  it("answers the other province's part with an error naming the hung one, and stops retrying at the request's deadline", async () => {
    expect(await bothProvinces()).toBe('timeout');
    // SUBGRAPH_RETRIES allows five more, but a third attempt of 1 s would end past the 2.8 s deadline.
    expect(hung.graphqlRequests()).toBe(2);
    expect(await sichuanCircuit()).toBe('closed');
  });

  it('opens its circuit after timeouts as after refused connections: then its part fails without a fetch', async () => {
    expect(await bothProvinces()).toBe('timeout');
    expect(hung.graphqlRequests()).toBe(CIRCUIT_BREAKER_FAILURES);
    expect(await sichuanCircuit()).toBe('open');

    const { grew } = await countersDuring(url, async () => {
      expect(await bothProvinces()).toBe('circuit open');
      expect(await bothProvinces()).toBe('circuit open');
    });
    // Refused at the gateway: the hung server was not asked again (how fast that is belongs to npm run bench).
    expect(hung.graphqlRequests()).toBe(CIRCUIT_BREAKER_FAILURES);
    expect(grew('gateway_subgraph_circuit_rejections_total', { subgraph: 'sichuan' })).toBe(2);
    expect(grew('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'sichuan' })).toBe(0);
  });
});
