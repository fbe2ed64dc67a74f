import { setTimeout as sleep } from 'node:timers/promises';
import { SubgraphUnavailableError } from '../dataSources/SubgraphUnavailableError';
import type { CircuitBreaker } from './CircuitBreaker';

export interface GuardPolicy {
  readonly serviceName: string;
  readonly breaker: CircuitBreaker;
  /** Further attempts after an outage; 0 for anything that must never be sent twice (mutations). */
  readonly retries: number;
  /** First backoff before a retry; it doubles each time, with jitter. Default 50 ms. */
  readonly backoffMs?: number;
  readonly onRetry?: () => void;
  readonly onRejected?: () => void;
}

/**
 * Sends one subgraph call through its circuit, retrying outages (never a
 * subgraph's answer) up to `retries` times. An open circuit fails the call at
 * once with SERVICE_UNAVAILABLE, reason `circuit open`.
 */
export async function guardSubgraphCall<T>(call: () => Promise<T>, policy: GuardPolicy): Promise<T> {
  const { breaker } = policy;
  for (let attempt = 0; ; attempt += 1) {
    if (!breaker.allowsRequest()) {
      policy.onRejected?.();
      throw new SubgraphUnavailableError(policy.serviceName, 'circuit open');
    }
    try {
      const result = await call();
      breaker.recordAnswer();
      return result;
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError && error.isOutage)) {
        // A refusal, a 500 or a malformed body: the subgraph is there, so the circuit stays as it is.
        breaker.recordAnswer();
        throw error;
      }
      breaker.recordOutage();
      // The real reason, not "circuit open", when this very outage opened the circuit.
      if (attempt >= policy.retries || !breaker.allowsRequest()) throw error;
      policy.onRetry?.();
      await sleep(backoff(policy.backoffMs ?? 50, attempt));
    }
  }
}

/** Exponential with full jitter, so callers that failed together do not all come back at the same instant. */
function backoff(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** attempt * (0.5 + Math.random()));
}
