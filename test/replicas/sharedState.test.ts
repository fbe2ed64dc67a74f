import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';
import { RedisServer } from './support/redisServer';

/**
 * Two gateway replicas in front of the same subgraphs with one Redis between
 * them (REDIS_URL), as docker-compose.yml runs them: a caller's rate limit is
 * counted once across both, and a query registered with one (automatic
 * persisted queries) is known to the other. Without Redis they keep serving.
 */
const LIMIT = 6;
let redis: RedisServer;
let replicas: { name: string; url: string; service: ChildService }[];

beforeAll(async () => {
  redis = new RedisServer(await freePort());
  await redis.start();
  const { subgraphUrls } = testSystem();
  const logDir = mkdtempSync(join(tmpdir(), 'replicas-'));
  replicas = await Promise.all(
    ['gateway-1', 'gateway-2'].map(async (name) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      const service = spawnService(name, 'gateway/src/main.ts', {
        GATEWAY_SECRET: testSystem().gatewaySecret,
        PORT: String(port),
        LOG_LEVEL: 'info',
        JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
        PLATFORM_URL: subgraphUrls.platform,
        SICHUAN_URL: subgraphUrls.sichuan,
        CHONGQING_URL: subgraphUrls.chongqing,
        REDIS_URL: redis.url,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
      }, logDir);
      await service.waitUntil('live', url);
      // Until then its rate limit would count in memory.
      await until(`${name} connected to Redis`, async () => (/redis connected/.test(readFileSync(service.logFile, 'utf8')) ? true : undefined));
      return { name, url, service };
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all((replicas ?? []).map(({ service }) => service.stop()));
  await redis?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One POST to a replica; `persisted` sends the query's SHA-256, and its text only when `register` is set. */
async function send(url: string, query: string, options: { token?: string; persisted?: boolean; register?: boolean } = {}): Promise<Answer> {
  const hash = createHash('sha256').update(query).digest('hex');
  const body = options.persisted
    ? { ...(options.register ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
    : { query };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

/** A query no replica has seen yet: a comment makes its text, and so its hash, new. */
const freshQuery = () => `# ${randomUUID()}\nquery Registries { sichuan { name } chongqing { name } }`;
const REGISTRIES = { sichuan: { name: 'Sichuan' }, chongqing: { name: 'Chongqing' } };
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];


describe('gateway replicas sharing Redis', () => {
  it('count one rate limit per caller across both replicas', async () => {
    // Anonymous callers are counted by address: both replicas see 127.0.0.1.
    for (let i = 0; i < LIMIT; i += 1) {
      const answer = await send(replicas[i % 2]!.url, '{ __typename }');
      expect({ request: i + 1, status: answer.status }).toEqual({ request: i + 1, status: 200 });
    }
    // Counted per process, each replica would still allow LIMIT / 2 more.
    for (const { url } of replicas) {
      const refused = await send(url, '{ __typename }');
      expect(refused.status).toBe(429);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('know a persisted query that either of them registered', async () => {
    const token = await tokenFor('li.wei');
    const [first, second] = replicas;
    const query = freshQuery();
    const unknown = await send(second!.url, query, { token, persisted: true });
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await send(first!.url, query, { token, persisted: true, register: true });
    expect(registered.body).toEqual({ data: REGISTRIES });
    // The registration is written after the answer: wait for it to land in Redis.
    const byHash = await until('the hash known to the other replica', async () => {
      const answer = await send(second!.url, query, { token, persisted: true });
      return codeOf(answer) === 'PERSISTED_QUERY_NOT_FOUND' ? undefined : answer;
    });
    expect(byHash.body).toEqual({ data: REGISTRIES });
  });

  it('keep answering while Redis is down, and share again once it is back', async () => {
    const token = await tokenFor('chen.jing');
    const [first, second] = replicas;
    await redis.stop();
    try {
      // A persisted query that cannot be read is a miss: the client sends the text, which is answered.
      const query = freshQuery();
      expect(codeOf(await send(second!.url, query, { token, persisted: true }))).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await send(second!.url, query, { token, persisted: true, register: true })).body).toEqual({ data: REGISTRIES });
      // Rate limits fall back to each process's own count: still answered, not an error.
      for (const { url } of replicas) expect((await send(url, '{ __typename }', { token })).status).toBe(200);
    } finally {
      await redis.start();
    }
    const logsOf = () => replicas.map(({ service }) => readFileSync(service.logFile, 'utf8'));
    const unreachable = /redis unreachable: rate limits are per process and persisted queries miss until it is back/;
    await until('both replicas saying Redis is unreachable', async () => (logsOf().every((log) => unreachable.test(log)) ? true : undefined));
    await until('both replicas reconnected', async () => (logsOf().every((log) => /redis reachable again/.test(log)) ? true : undefined));

    // Another caller, so the rate limit counted again in Redis has room for the retries below.
    const other = await tokenFor('sc.admin');
    const query = freshQuery();
    expect((await send(first!.url, query, { token: other, persisted: true, register: true })).body).toEqual({ data: REGISTRIES });
    const shared = await until('the hash known to the other replica', async () => {
      const answer = await send(second!.url, query, { token: other, persisted: true });
      return codeOf(answer) === 'PERSISTED_QUERY_NOT_FOUND' ? undefined : answer;
    });
    expect(shared.body).toEqual({ data: REGISTRIES });
  });
});
