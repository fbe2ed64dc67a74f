import { createMetricsRegistry } from '../../../../shared/src';
import type { Fetcher } from '../../dataSources/createSubgraphFetcher';
import { createSubgraphFetchMetrics } from '../createSubgraphFetchMetrics';

const answering = (status: number): Fetcher => async () => ({ ok: status >= 200 && status < 300, status }) as Awaited<ReturnType<Fetcher>>;
const failing = (error: Error): Fetcher => async () => {
  throw error;
};

describe('createSubgraphFetchMetrics', () => {
  it('times every fetch by subgraph and counts failures by reason, passing answers and errors through', async () => {
    const registry = createMetricsRegistry('gateway-test');
    const metrics = createSubgraphFetchMetrics(registry);
    const timeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });

    expect((await metrics.measure('sichuan', answering(200))('http://sichuan/graphql')).status).toBe(200);
    expect((await metrics.measure('sichuan', answering(400))('http://sichuan/graphql')).status).toBe(400);
    await metrics.measure('sichuan', answering(503))('http://sichuan/graphql');
    await expect(metrics.measure('chongqing', failing(timeout))('http://chongqing/graphql')).rejects.toBe(timeout);
    await expect(metrics.measure('chongqing', failing(new Error('connect ECONNREFUSED')))('http://chongqing/graphql')).rejects.toThrow('ECONNREFUSED');

    const failures = await registry.getSingleMetric('gateway_subgraph_fetch_errors_total')!.get();
    expect(Object.fromEntries(failures.values.map(({ labels, value }) => [`${labels['subgraph']}/${labels['reason']}`, value]))).toEqual({
      'sichuan/http_4xx': 1, 'sichuan/http_5xx': 1, 'chongqing/timeout': 1, 'chongqing/network': 1,
    });
    const durations = await registry.getSingleMetric('gateway_subgraph_fetch_duration_seconds')!.get();
    const count = (subgraph: string) => (durations.values as { metricName?: string; labels: Record<string, unknown>; value: number }[]).find((v) => v.metricName?.endsWith('_count') && v.labels['subgraph'] === subgraph)?.value;
    expect(count('sichuan')).toBe(3);
    expect(count('chongqing')).toBe(2);
  });
});
