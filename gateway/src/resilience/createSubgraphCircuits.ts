import type { Logger } from '../../../shared/src';
import { CircuitBreaker, type CircuitState } from './CircuitBreaker';
import { probeSubgraph } from './probeSubgraph';

export interface CircuitSettings {
  /** Consecutive outages that open a subgraph's circuit (`CIRCUIT_BREAKER_FAILURES`; 0 = never). */
  readonly failureThreshold: number;
  /** How often an open circuit probes its subgraph's `/health/ready` (`CIRCUIT_BREAKER_RESET_MS`). */
  readonly probeIntervalMs: number;
}

export interface SubgraphCircuits {
  /** The circuit of one subgraph, made on first use and kept across supergraph reloads; its probe asks `readyUrl`. */
  breakerFor(subgraph: string, readyUrl: string): CircuitBreaker;
  /** Each known subgraph's circuit state, for /metrics and /health/ready. */
  states(): Readonly<Record<string, CircuitState>>;
  dispose(): void;
}

/** One circuit per subgraph, each logging when it opens and closes. */
export function createSubgraphCircuits(settings: CircuitSettings, logger: Logger): SubgraphCircuits {
  const breakers = new Map<string, CircuitBreaker>();
  return {
    breakerFor(subgraph, readyUrl) {
      let breaker = breakers.get(subgraph);
      if (!breaker) {
        breaker = new CircuitBreaker({
          failureThreshold: settings.failureThreshold,
          probeIntervalMs: settings.probeIntervalMs,
          probe: async () => (await probeSubgraph(readyUrl, Math.min(2_000, settings.probeIntervalMs))) === 'ready',
          onStateChange: (state, previous) =>
            logger[state === 'open' ? 'warn' : 'info']({ subgraph, state, previous }, `circuit of ${subgraph} ${state === 'half-open' ? 'half-open: the subgraph is ready again' : state}`),
        });
        breakers.set(subgraph, breaker);
      }
      return breaker;
    },
    states: () => Object.fromEntries([...breakers].map(([subgraph, breaker]) => [subgraph, breaker.state])),
    dispose: () => {
      for (const breaker of breakers.values()) breaker.dispose();
    },
  };
}
