import { gateway, testSystem, tokenFor } from '../support/system';
import { samples, scrape, valueOf } from '../support/prometheus';

/**
 * Every service serves Prometheus metrics at /metrics: requests and latency by
 * operation and outcome everywhere, subgraph fetches at the gateway, the
 * database pool in each subgraph, and Node's default process metrics.
 */
const SERVICES = ['platform', 'sichuan', 'chongqing'] as const;

beforeAll(async () => {
  const token = await tokenFor('li.wei');
  const named = await gateway('query MetricsProbe { sichuan { name } chongqing { name } }', { token });
  expect(named.body.errors).toBeUndefined();
  const anonymous = await gateway('{ sichuan { name } }', { token });
  expect(anonymous.body.errors).toBeUndefined();
  // A variable only the subgraph parses (DateTime): Sichuan refuses the fetch with HTTP 400.
  const refused = await gateway('query MetricsRefused($from: DateTime) { sichuan { stats(from: $from) { labs } } }', {
    token, variables: { from: 'not a date' },
  });
  expect(refused.body.errors?.length).toBeGreaterThan(0);
});

describe('gateway /metrics', () => {
  it('counts and times requests by operation name and outcome', async () => {
    const metrics = await scrape(testSystem().gatewayUrl);
    expect(valueOf(metrics, 'graphql_requests_total', { service: 'gateway', operation: 'MetricsProbe', outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'graphql_request_duration_seconds_count', { operation: 'MetricsProbe', outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'graphql_request_duration_seconds_sum', { operation: 'MetricsProbe', outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'graphql_requests_total', { operation: 'anonymous', outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'graphql_requests_total', { operation: 'MetricsRefused', outcome: 'error' })).toBeGreaterThan(0);
    // Only the two outcomes, whatever happened.
    const outcomes = new Set(samples(metrics, 'graphql_requests_total').map((sample) => sample.labels['outcome']));
    expect([...outcomes].every((outcome) => outcome === 'ok' || outcome === 'error')).toBe(true);
  });

  it('times fetches and counts failed ones by subgraph', async () => {
    const metrics = await scrape(testSystem().gatewayUrl);
    for (const subgraph of SERVICES) {
      expect(valueOf(metrics, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph })).toBeGreaterThan(0);
      expect(valueOf(metrics, 'gateway_subgraph_fetch_duration_seconds_sum', { subgraph })).toBeGreaterThan(0);
    }
    expect(valueOf(metrics, 'gateway_subgraph_fetch_errors_total', { subgraph: 'sichuan', reason: 'http_4xx' })).toBeGreaterThan(0);
  });

  it("includes Node's default process metrics", async () => {
    const metrics = await scrape(testSystem().gatewayUrl);
    expect(valueOf(metrics, 'process_cpu_user_seconds_total', { service: 'gateway' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe.each(SERVICES)('%s subgraph /metrics', (service) => {
  it('counts and times the requests the gateway sent it', async () => {
    const metrics = await scrape(testSystem().subgraphUrls[service]);
    expect(valueOf(metrics, 'graphql_requests_total', { service, outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'graphql_request_duration_seconds_count', { service, outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'process_resident_memory_bytes', { service })).toBeGreaterThan(0);
  });

  it('reports its database pool', async () => {
    // A query that reads every database just before the scrape keeps a pooled connection open (pg closes idle ones after 10 s).
    const { body } = await gateway('{ me { username } sichuan { instruments(first: 1) { totalCount } } chongqing { instruments(first: 1) { totalCount } } }', { token: await tokenFor('li.wei') });
    expect(body.data.me.username).toBe('li.wei');
    const metrics = await scrape(testSystem().subgraphUrls[service]);
    expect(valueOf(metrics, 'db_pool_connections', { service })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'db_pool_max_connections', { service })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'db_pool_idle_connections', { service })).toBeGreaterThanOrEqual(0);
    expect(valueOf(metrics, 'db_pool_waiting_requests', { service })).toBeGreaterThanOrEqual(0);
  });
});
