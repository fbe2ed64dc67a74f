import { collectDefaultMetrics, Registry } from 'prom-client';

export type MetricsRegistry = Registry;

/**
 * The one Prometheus registry of a service process, with Node's default
 * metrics (CPU, memory, event-loop lag, GC, handles). A registry of its own
 * rather than prom-client's global one: a test may run several servers in one
 * process, and each must count only its own requests. Every series carries
 * `service` so dashboards can tell the gateway from each subgraph even when
 * Prometheus relabels instances.
 */
export function createMetricsRegistry(service: string): MetricsRegistry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
