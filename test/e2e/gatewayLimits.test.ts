import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { graphql, onlyError, testSystem, tokenFor } from '../support/system';

/**
 * A second gateway in front of the same subgraphs, with small limits, so each
 * limit can be hit without disturbing the other test files.
 */
let gateway: ChildService;
let url: string;

beforeAll(async () => {
  const { subgraphUrls } = testSystem();
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  const chongqingUrl = `http://127.0.0.1:${await freePort()}/graphql`;
  gateway = spawnService('limited-gateway', 'gateway/src/main.ts', {
    GATEWAY_SECRET: testSystem().gatewaySecret,
    PORT: String(port),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
    ADMIN_PORT: String(await freePort()),
    PLATFORM_URL: subgraphUrls.platform,
    SICHUAN_URL: subgraphUrls.sichuan,
    // Chongqing is "down" for this gateway: nothing listens on that port.
    CHONGQING_URL: chongqingUrl,
    // The file's subgraphs run in development mode: readiness beside their GraphQL URLs.
    PLATFORM_READY_URL: new URL('/health/ready', subgraphUrls.platform).href,
    SICHUAN_READY_URL: new URL('/health/ready', subgraphUrls.sichuan).href,
    CHONGQING_READY_URL: new URL('/health/ready', chongqingUrl).href,
    MAX_QUERY_DEPTH: '6',
    MAX_ALIASES: '3',
    MAX_ROOT_FIELDS: '3',
    MAX_TOKENS: '300',
    MAX_QUERY_COST: '500',
    MAX_PAGE_SIZE: '50',
    MAX_BATCH_SIZE: '2',
    MAX_BODY_BYTES: '2000',
    RATE_LIMIT_PER_MINUTE: '40',
  }, mkdtempSync(join(tmpdir(), 'limited-gateway-')));
  await gateway.waitUntil('live', url);
}, 60_000);

afterAll(() => gateway?.stop());

async function refused(query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await graphql(url, query, { ...(variables ? { variables } : {}), ...(token ? { token } : {}) });
  expect(response.status).toBe(400);
  return onlyError(response.body);
}

describe('operation limits at the gateway', () => {
  it('answers an ordinary query', async () => {
    const { status, body } = await graphql(url, '{ sichuan { instruments(first: 5) { edges { node { name } } } } }');
    expect(status).toBe(200);
    expect(body.data.sichuan.instruments.edges).toHaveLength(5);
  });

  it('refuses a query deeper than MAX_QUERY_DEPTH, naming the limit', async () => {
    const error = await refused('{ sichuan { labs { instruments { ... on SichuanInstrument { lab { instruments { ... on SichuanInstrument { lab { name } } } } } } } } }');
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_DEPTH', allowed: 6 });
    expect(error.message).toMatch(/depth is 7; the limit is 6 \(MAX_QUERY_DEPTH\)/);
  });

  it('refuses an alias bomb (MAX_ALIASES)', async () => {
    const error = await refused(`{ sichuan { ${Array.from({ length: 4 }, (_, i) => `a${i}: name`).join(' ')} } }`);
    expect(error.extensions).toMatchObject({ limit: 'MAX_ALIASES' });
  });

  it('refuses too many root fields, also when hidden in fragments (MAX_ROOT_FIELDS)', async () => {
    const error = await refused('query { ...A } fragment A on Query { sichuan { name } chongqing { name } me { id } instrument(id: "sc:instrument:00000000-0000-4000-8000-000000000000") { id } }');
    expect(error.extensions).toMatchObject({ limit: 'MAX_ROOT_FIELDS', actual: 4 });
  });

  it('refuses a `first` above MAX_PAGE_SIZE, given inline or as a variable', async () => {
    expect((await refused('{ sichuan { instruments(first: 51) { totalCount } } }')).extensions).toMatchObject({ limit: 'MAX_PAGE_SIZE' });
    const viaVariable = await refused('query Q($n: Int) { sichuan { instruments(first: $n) { totalCount } } }', { n: 1_000_000 });
    expect(viaVariable.extensions).toMatchObject({ limit: 'MAX_PAGE_SIZE', actual: 1_000_000 });
  });

  it('refuses an operation whose estimated cost is over MAX_QUERY_COST', async () => {
    const error = await refused('{ sichuan { instruments(first: 50) { edges { node { id name nameZh category model institution hourlyFee lab { name city } } } } } }');
    expect(error.extensions).toMatchObject({ limit: 'MAX_QUERY_COST' });
  });

  it('refuses more tokens than MAX_TOKENS while parsing', async () => {
    const response = await graphql(url, `{ sichuan { name ${'a '.repeat(350)} } }`);
    expect(response.status).toBe(400);
    expect(onlyError(response.body).extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    // graphql-js words it "more that 300 tokens".
    expect(onlyError(response.body).message).toMatch(/more th[ae]t? 300 tokens/);
  });

  it('refuses circular fragments without hanging', async () => {
    const response = await graphql(url, 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(response.status).toBe(400);
    expect(onlyError(response.body).extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a batch over MAX_BATCH_SIZE and a body over MAX_BODY_BYTES', async () => {
    const batch = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as any).errors[0].message).toMatch(/at most 2 operations \(MAX_BATCH_SIZE\)/);

    const okBatch = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ sichuan { name } }' }, { query: '{ chongqing { name } }' }]),
    });
    expect(okBatch.status).toBe(200);
    expect(((await okBatch.json()) as any[]).map((r: any) => Object.keys(r.data)[0])).toEqual(['sichuan', 'chongqing']);

    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(3000)}` }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].message).toMatch(/2000 bytes .*MAX_BODY_BYTES/);
  });

  it('hides schema hints and introspection in production mode', async () => {
    const typo = await graphql(url, '{ sichuan { nam } }');
    expect(typo.status).toBe(400);
    expect(onlyError(typo.body).message).not.toMatch(/Did you mean/);
    const introspection = await graphql(url, '{ __schema { types { name } } }');
    expect(onlyError(introspection.body).extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a cross-site simple request (CSRF prevention)', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET' });
    expect(response.status).toBe(400);
  });
});

describe('a province that cannot answer', () => {
  it('costs only its own part: the other province answers, with HTTP 200 and an error naming the service', async () => {
    const { status, body } = await graphql(url, '{ sichuan { name instruments(first: 2) { totalCount } } chongqing { name } }');
    expect(status).toBe(200);
    expect(body.data.sichuan.name).toBe('Sichuan');
    expect(body.data.sichuan.instruments.totalCount).toBeGreaterThan(0);
    expect(body.data.chongqing).toBeNull();
    const error = onlyError(body);
    expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'chongqing', reason: 'unreachable' });
    expect(error.message).toBe('The chongqing service is unavailable right now (unreachable); the rest of the answer is complete.');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});

describe('rate limit per caller', () => {
  it('answers 429 with Retry-After once a signed-in caller exceeds RATE_LIMIT_PER_MINUTE, and not other callers', async () => {
    const token = await tokenFor('platform.admin');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 45; i++) {
      last = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ __typename }' }) });
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(body.errors[0]!.message).toMatch(/Retry in \d+ s/);

    const other = await graphql(url, '{ __typename }', { token: await tokenFor('li.wei') });
    expect(other.status).toBe(200);
  });
});
