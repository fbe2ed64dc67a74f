import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../../../shared/src';
import type { Fetcher } from '../dataSources/createSubgraphFetcher';
import { countBySubgraph } from './countBySubgraph';

export interface SubgraphFetchMetrics {
  /** The same fetcher, timing every fetch to `subgraph` and counting the ones that fail. */
  measure(subgraph: string, fetch: Fetcher): Fetcher;
  /** Counts a query answered by an identical fetch already in flight (no fetch of its own). */
  shared(subgraph: string): void;
}

/** Why a fetch counts as failed; a fixed set, so the series stay few. */
type FailureReason = 'http_4xx' | 'http_5xx' | 'timeout' | 'network';

/**
 * Latency and failures of the gateway's fetches, by subgraph (the supergraph's
 * names, a fixed handful). It wraps the fetcher each data source is given, so
 * it sees every fetch, whatever the data source then makes of the answer. A
 * GraphQL error inside a 200 response is the subgraph's answer, not a failed
 * fetch: it shows in the subgraph's own `graphql_requests_total{outcome="error"}`.
 */
export function createSubgraphFetchMetrics(registry: MetricsRegistry): SubgraphFetchMetrics {
  const duration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time from sending a subgraph fetch to having read its whole response, by subgraph.',
    labelNames: ['subgraph'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'gateway_subgraph_fetch_errors_total',
    help: 'Subgraph fetches that failed, by subgraph and reason (http_4xx|http_5xx|timeout|network).',
    labelNames: ['subgraph', 'reason'] as const,
    registers: [registry],
  });
  const fail = (subgraph: string, reason: FailureReason) => failures.inc({ subgraph, reason });
  const shared = countBySubgraph(
    registry,
    'gateway_subgraph_fetches_shared_total',
    'Subgraph queries answered by an identical query already in flight instead of a fetch of their own, by subgraph.',
  );

  return {
    shared,
    measure: (subgraph, fetch) => async (url, init) => {
      const stop = duration.startTimer({ subgraph });
      try {
        const response = await fetch(url, init);
        if (!response.ok) fail(subgraph, response.status >= 500 ? 'http_5xx' : 'http_4xx');
        return response;
      } catch (error) {
        const timedOut = /timeout/i.test(`${(error as Error)?.name} ${(error as { code?: string })?.code ?? ''}`);
        fail(subgraph, timedOut ? 'timeout' : 'network');
        throw error;
      } finally {
        stop();
      }
    },
  };
}
