import type { RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { startOwnProductionGateway, startOwnProvince } from '../support/ownServices';
import { countersDuring, scrape, valueOf } from '../support/prometheus';
import { sendRequestLine } from '../support/rawHttp';
import { graphql, testSystem } from '../support/system';

/**
 * What each listener answers. In production a service serves readiness and
 * metrics on its admin port only: here a Sichuan subgraph and a gateway in
 * production mode, with admin ports, beside the file's system and over its
 * databases. Readiness checks are shared and cached, so a flood of
 * readiness requests costs one check. Browsers: only allow-listed origins
 * and the gateway's own pages get CORS headers, never the gateway secret's
 * header; subgraphs send none.
 */
const PARTNER = 'https://partner.example';
const FOREIGN = 'https://elsewhere.example';
/** Long enough that nothing in this file outlives a cached readiness report by accident. */
const READINESS_CACHE_MS = '60000';

let sichuan: RunningService;
let gateway: RunningGateway;

beforeAll(async () => {
  const production = { NODE_ENV: 'production', ADMIN_PORT: '0', READINESS_CACHE_MS };
  sichuan = await startOwnProvince('sichuan-production', 'sichuan', production);
  gateway = await startOwnProductionGateway('gateway-production', sichuan, { READINESS_CACHE_MS, CORS_ALLOWED_ORIGINS: `${PARTNER}, https://other-partner.example` });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await sichuan?.close();
});

const services = () => [
  { name: 'gateway', publicUrl: gateway.url, adminUrl: gateway.adminUrl! },
  { name: 'sichuan subgraph', publicUrl: sichuan.url, adminUrl: sichuan.adminUrl! },
];

/** Every way of asking for `path`: as is, with a fragment, with a query, with a doubled slash, and in absolute-form. */
const spellings = (origin: string, path: string) => [path, `${path}#x`, `${path}?x`, `/${path}`, `${origin}${path}`];

describe('in production, the public listeners', () => {
  it.each(['gateway', 'sichuan subgraph'])('of the %s answer no spelling of /metrics or /health/ready', async (name) => {
    const { origin } = new URL(services().find((service) => service.name === name)!.publicUrl);
    for (const path of ['/metrics', '/health/ready']) {
      for (const target of spellings(origin, path)) {
        for (const method of ['GET', 'HEAD']) {
          const { status, body } = await sendRequestLine(origin, method, target);
          expect({ method, target, status }).toEqual({ method, target, status: 404 });
          expect(body).not.toMatch(/health_readiness_checks_total|process_cpu|"ready"/);
        }
      }
    }
  });

  it('still answer /health/live and GraphQL, the gateway through the production subgraph', async () => {
    for (const { publicUrl } of services()) expect((await fetch(new URL('/health/live', publicUrl))).status).toBe(200);
    const { body } = await graphql(gateway.url, '{ sichuan { name } chongqing { name } }');
    expect(body).toEqual({ data: { sichuan: { name: 'Sichuan' }, chongqing: { name: 'Chongqing' } } });
  });
});

describe('in production, the admin listeners', () => {
  it.each(['gateway', 'sichuan subgraph'])('of the %s serve /metrics and /health/ready, and only those', async (name) => {
    const { adminUrl } = services().find((service) => service.name === name)!;
    for (const target of ['/metrics', '/metrics?x', `${adminUrl}/metrics`]) {
      const { status, headers, body } = await sendRequestLine(adminUrl, 'GET', target);
      expect({ target, status }).toEqual({ target, status: 200 });
      expect(headers['content-type']).toMatch(/^text\/plain/);
      expect(body).toMatch(/^health_readiness_checks_total\{service="\w+"\} \d+$/m);
    }
    const ready = await fetch(`${adminUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    expect((await fetch(`${adminUrl}/health/live`)).status).toBe(200);
    // Exact paths, on the admin port too: no GraphQL, nothing spelt otherwise.
    for (const target of ['//metrics', '/metrics/', '/graphql']) {
      const { status } = await sendRequestLine(adminUrl, 'GET', target);
      expect({ target, status }).toEqual({ target, status: 404 });
    }
    expect((await graphql(`${adminUrl}/graphql`, '{ __typename }')).status).toBe(404);
  });

  it("give the gateway's readiness from each subgraph's own readiness URL", async () => {
    const report = await (await fetch(`${gateway.adminUrl}/health/ready`)).json();
    expect(report).toEqual({
      status: 'ready',
      checks: {
        platform: { state: 'ready', circuit: 'closed' },
        sichuan: { state: 'ready', circuit: 'closed' },
        chongqing: { state: 'ready', circuit: 'closed' },
      },
    });
  });
});

describe('a flood of readiness requests', () => {
  const flood = async (url: string) => {
    const answers = await Promise.all(Array.from({ length: 50 }, async () => {
      const response = await fetch(url);
      return { status: response.status, body: (await response.json()) as { status: string } };
    }));
    expect(answers.every((answer) => answer.status === 200 && answer.body.status === 'ready')).toBe(true);
  };
  /** Readiness checks a service ran: its database, or the gateway's look at every subgraph. */
  const checks = async (url: string) => valueOf(await scrape(url), 'health_readiness_checks_total');

  it("costs the gateway at most one look at its subgraphs, and each subgraph at most one database check", async () => {
    const { subgraphUrls } = testSystem();
    const watched = { gateway: gateway.adminUrl!, sichuan: sichuan.adminUrl!, platform: subgraphUrls.platform, chongqing: subgraphUrls.chongqing };
    const before = Object.fromEntries(await Promise.all(Object.entries(watched).map(async ([name, url]) => [name, await checks(url)] as const)));
    await flood(`${gateway.adminUrl}/health/ready`);
    for (const [name, url] of Object.entries(watched)) {
      const grew = (await checks(url)) - before[name]!;
      expect({ name, grew: grew <= 1 }).toEqual({ name, grew: true });
    }
    // One check happened at some point, and its report answered the rest.
    expect(await checks(gateway.adminUrl!)).toBeGreaterThanOrEqual(1);
  });

  it("costs a subgraph asked directly at most one database check", async () => {
    const { grew } = await countersDuring(sichuan.adminUrl!, () => flood(`${sichuan.adminUrl}/health/ready`));
    expect(grew('health_readiness_checks_total')).toBeLessThanOrEqual(1);
    expect(await checks(sichuan.adminUrl!)).toBeGreaterThanOrEqual(1);
  });
});

/** The CORS headers of an answer. */
const corsHeadersOf = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, x-gateway-secret' },
  });

const postFrom = (url: string, origin: string) =>
  fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ sichuan { name } }' }) });

describe('CORS at the gateway', () => {
  it('lets an allow-listed origin call with a token, never with the gateway secret', async () => {
    const answer = await preflight(gateway.url, PARTNER);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('vary')).toMatch(/\bOrigin\b/);
    const cors = corsHeadersOf(answer);
    expect(cors['access-control-allow-origin']).toBe(PARTNER);
    const allowed = cors['access-control-allow-headers']!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id']));
    expect(allowed).not.toContain('x-gateway-secret');
    expect(cors['access-control-allow-methods']).toBe('GET, POST');

    const post = await postFrom(gateway.url, PARTNER);
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(post.headers.get('access-control-expose-headers')).toMatch(/\bx-request-id\b/);
    expect(post.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('gives any other origin no CORS headers at all', async () => {
    for (const url of [gateway.url, testSystem().gatewayUrl]) {
      const answer = await preflight(url, FOREIGN);
      expect(corsHeadersOf(answer)).toEqual({});
      expect(answer.headers.get('vary')).toMatch(/\bOrigin\b/);
      const post = await postFrom(url, FOREIGN);
      expect(post.status).toBe(200);
      expect(corsHeadersOf(post)).toEqual({});
      expect(post.headers.get('vary')).toMatch(/\bOrigin\b/);
    }
  });

  it("answers the gateway's own origin, the dashboard's, with no allow-list at all", async () => {
    // The file's gateway has no CORS_ALLOWED_ORIGINS; its pages are at http://localhost:<port>.
    const { gatewayUrl } = testSystem();
    const own = new URL(gatewayUrl).origin;
    const answer = await preflight(gatewayUrl, own);
    expect(answer.status).toBe(204);
    expect(corsHeadersOf(answer)['access-control-allow-origin']).toBe(own);
    expect(corsHeadersOf(answer)['access-control-allow-headers']).not.toMatch(/x-gateway-secret/);
    const post = await postFrom(gatewayUrl, own);
    expect(((await post.json()) as { data: unknown }).data).toEqual({ sichuan: { name: 'Sichuan' } });
    expect(post.headers.get('access-control-allow-origin')).toBe(own);
    // Another port of the same host is another origin.
    expect(corsHeadersOf(await postFrom(gatewayUrl, `http://localhost:${Number(new URL(gatewayUrl).port) + 1}`))).toEqual({});
  });
});

describe('CORS at the subgraphs', () => {
  it('is not answered at all: subgraphs are not for browsers', async () => {
    const urls = [...Object.values(testSystem().subgraphUrls), sichuan.url];
    for (const url of urls) {
      for (const origin of [PARTNER, new URL(url).origin]) {
        const answers = [await preflight(url, origin), await postFrom(url, origin)];
        for (const answer of answers) expect({ url, origin, cors: corsHeadersOf(answer) }).toEqual({ url, origin, cors: {} });
      }
    }
  });
});
