import { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../../shared/src';

/** A counter labelled by subgraph (the supergraph's names, a fixed handful), as a function that counts one. */
export function countBySubgraph(registry: MetricsRegistry, name: string, help: string): (subgraph: string) => void {
  const counter = new Counter({ name, help, labelNames: ['subgraph'] as const, registers: [registry] });
  return (subgraph) => counter.inc({ subgraph });
}
