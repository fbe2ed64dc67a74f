import { Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../../shared/src';
import { CIRCUIT_STATES, type CircuitState } from '../resilience/CircuitBreaker';
import { countBySubgraph } from './countBySubgraph';

export interface ResilienceMetrics {
  retried(subgraph: string): void;
  rejected(subgraph: string): void;
}

/**
 * Circuit state by subgraph (one series per state, 1 for the current one, as
 * Prometheus expects of an enum), read at scrape time, and counts of retried
 * fetches and of requests an open circuit failed without sending.
 */
export function createResilienceMetrics(registry: MetricsRegistry, states: () => Readonly<Record<string, CircuitState>>): ResilienceMetrics {
  new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: 'Circuit breaker state by subgraph: 1 on the current state (closed|open|half-open), 0 on the others.',
    labelNames: ['subgraph', 'state'] as const,
    registers: [registry],
    collect() {
      for (const [subgraph, current] of Object.entries(states())) {
        for (const state of CIRCUIT_STATES) this.set({ subgraph, state }, state === current ? 1 : 0);
      }
    },
  });
  return {
    retried: countBySubgraph(
      registry,
      'gateway_subgraph_fetch_retries_total',
      'Query fetches sent again after an outage (connection failure, timeout, 502/503/504), by subgraph.',
    ),
    rejected: countBySubgraph(
      registry,
      'gateway_subgraph_circuit_rejections_total',
      'Subgraph fetches failed at once because the subgraph’s circuit was open, by subgraph.',
    ),
  };
}
