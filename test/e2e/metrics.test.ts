import { until } from '../support/until';
import { gateway, testSystem, tokenFor } from '../support/system';
import { countersDuring, samples, scrape, valueOf } from '../support/prometheus';

/**
 * Every service serves Prometheus metrics at /metrics: requests and latency by
 * operation and outcome everywhere, subgraph fetches at the gateway, the
 * database pool in each subgraph, and Node's default process metrics. Each
 * test scrapes before and after its own requests and counts exactly those.
 */
const SERVICES = ['platform', 'sichuan', 'chongqing'] as const;

/** A variable only the subgraph parses (DateTime): Sichuan refuses the fetch with HTTP 400. */
const refusedBySichuan = async (token: string) => {
  const { body } = await gateway('query MetricsRefused($from: DateTime) { sichuan { stats(from: $from) { labs } } }', {
    token, variables: { from: 'not a date' },
  });
  expect(body.errors?.length).toBeGreaterThan(0);
};

/** Asks the gateway `query` and expects an answer without errors. */
const answered = async (query: string, token: string) => {
  const { body } = await gateway(query, { token });
  expect(body.errors).toBeUndefined();
};

describe('gateway /metrics', () => {
  it('counts and times requests by operation name and outcome', async () => {
    const token = await tokenFor('li.wei');
    const { grew, after } = await countersDuring(testSystem().gatewayUrl, async () => {
      await answered('query MetricsProbe { sichuan { name } chongqing { name } }', token);
      await answered('{ sichuan { name } }', token);
      await refusedBySichuan(token);
    });
    expect(grew('graphql_requests_total', { service: 'gateway', operation: 'MetricsProbe', outcome: 'ok' })).toBe(1);
    expect(grew('graphql_request_duration_seconds_count', { operation: 'MetricsProbe', outcome: 'ok' })).toBe(1);
    // A duration: it grows by however long the request took.
    expect(grew('graphql_request_duration_seconds_sum', { operation: 'MetricsProbe', outcome: 'ok' })).toBeGreaterThan(0);
    expect(grew('graphql_requests_total', { operation: 'anonymous', outcome: 'ok' })).toBe(1);
    expect(grew('graphql_requests_total', { operation: 'MetricsRefused', outcome: 'error' })).toBe(1);
    expect(grew('graphql_requests_total')).toBe(3);
    // Only the two outcomes, whatever happened.
    const outcomes = new Set(samples(after, 'graphql_requests_total').map((sample) => sample.labels['outcome']));
    expect([...outcomes].every((outcome) => outcome === 'ok' || outcome === 'error')).toBe(true);
  });

  it('times fetches and counts failed ones by subgraph', async () => {
    const token = await tokenFor('li.wei');
    const { gatewayUrl } = testSystem();
    const fetches = await countersDuring(gatewayUrl, () => answered('{ me { username } sichuan { name } chongqing { name } }', token));
    for (const subgraph of SERVICES) {
      expect(fetches.grew('gateway_subgraph_fetch_duration_seconds_count', { subgraph })).toBe(1);
      expect(fetches.grew('gateway_subgraph_fetch_duration_seconds_sum', { subgraph })).toBeGreaterThan(0);
    }
    expect(fetches.grew('gateway_subgraph_fetch_errors_total')).toBe(0);

    const refused = await countersDuring(gatewayUrl, () => refusedBySichuan(token));
    expect(refused.grew('gateway_subgraph_fetch_errors_total', { subgraph: 'sichuan', reason: 'http_4xx' })).toBe(1);
    expect(refused.grew('gateway_subgraph_fetch_errors_total')).toBe(1);
  });

  it("includes Node's default process metrics", async () => {
    const metrics = await scrape(testSystem().gatewayUrl);
    expect(valueOf(metrics, 'process_cpu_user_seconds_total', { service: 'gateway' })).toBeGreaterThan(0);
    expect(valueOf(metrics, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

/** A request the gateway answers with exactly one fetch to the subgraph. */
const ONE_FETCH_TO: Record<(typeof SERVICES)[number], string> = {
  platform: '{ me { username } }',
  sichuan: '{ sichuan { name } }',
  chongqing: '{ chongqing { name } }',
};

describe.each(SERVICES)('%s subgraph /metrics', (service) => {
  it('counts and times the requests the gateway sent it', async () => {
    const token = await tokenFor('li.wei');
    const { grew, after } = await countersDuring(testSystem().subgraphUrls[service], () => answered(ONE_FETCH_TO[service], token));
    expect(grew('graphql_requests_total', { service, outcome: 'ok' })).toBe(1);
    expect(grew('graphql_requests_total')).toBe(1);
    expect(grew('graphql_request_duration_seconds_count', { service, outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'process_resident_memory_bytes', { service })).toBeGreaterThan(0);
  });

  it('reports its database pool', async () => {
    // A query that reads every database just before the scrape keeps a pooled connection open (pg closes idle ones after 10 s).
    const { body } = await gateway('{ me { username } sichuan { instruments(first: 1) { totalCount } } chongqing { instruments(first: 1) { totalCount } } }', { token: await tokenFor('li.wei') });
    expect(body.data.me.username).toBe('li.wei');
    // A province's background work (webhook delivery polls every 200 ms here) borrows a connection now and then: a
    // scrape between its polls shows every open connection idle and no query waiting.
    const metrics = await until('a scrape with every pooled connection idle', async () => {
      const scraped = await scrape(testSystem().subgraphUrls[service]);
      return valueOf(scraped, 'db_pool_idle_connections', { service }) === valueOf(scraped, 'db_pool_connections', { service }) ? scraped : undefined;
    });
    expect(valueOf(metrics, 'db_pool_connections', { service })).toBeGreaterThan(0);
    // DATABASE_POOL_SIZE's default: the test system leaves it unset.
    expect(valueOf(metrics, 'db_pool_max_connections', { service })).toBe(10);
    expect(valueOf(metrics, 'db_pool_waiting_requests', { service })).toBe(0);
  });
});

describe.each(['sichuan', 'chongqing'] as const)('%s kept reads', (service) => {
  it('counts each dashboard request as answered from a kept read or by a read of its own', async () => {
    const token = await tokenFor('li.wei');
    // A period no other test asks for: nothing is kept for it yet.
    const variables = { from: '2019-03-01T00:00:00+08:00', to: '2019-04-01T00:00:00+08:00' };
    const ask = async () => {
      const { body } = await gateway(`query KeptStats($from: DateTime, $to: DateTime) { ${service} { stats(from: $from, to: $to) { labs } } }`, { token, variables });
      expect(body.errors).toBeUndefined();
    };
    const url = testSystem().subgraphUrls[service];
    const first = await countersDuring(url, ask);
    expect(first.grew('province_kept_reads_total', { service, read: 'stats', outcome: 'read' })).toBe(1);
    expect(first.grew('province_kept_reads_total', { service, read: 'stats', outcome: 'kept' })).toBe(0);
    // The second is kept unless the province's background work committed something in between: one or the other, once.
    const second = await countersDuring(url, ask);
    expect(second.grew('province_kept_reads_total', { service, read: 'stats' })).toBe(1);
  });
});
