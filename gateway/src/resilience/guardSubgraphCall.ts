import { setTimeout as sleep } from 'node:timers/promises';
import { SubgraphUnavailableError } from '../dataSources/SubgraphUnavailableError';
import type { CircuitBreaker } from './CircuitBreaker';

export interface GuardPolicy {
  readonly serviceName: string;
  readonly breaker: CircuitBreaker;
  /** Further attempts after an outage; 0 for anything that must never be sent twice (mutations). */
  readonly retries: number;
  /** Longest wait for one attempt (`SUBGRAPH_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  /** When the client's request runs out of time (`deadlineIn`); none: each attempt has `timeoutMs`. */
  readonly deadline?: number;
  /** First backoff before a retry; it doubles each time, with jitter. Default 50 ms. */
  readonly backoffMs?: number;
  readonly onRetry?: () => void;
  readonly onRejected?: () => void;
}

/** A deadline `ms` from now, on the monotonic clock the guard reads: wall-clock jumps move no deadline. */
export function deadlineIn(ms: number): number {
  return performance.now() + ms;
}

/**
 * Sends one subgraph call through its circuit, retrying outages (never a
 * subgraph's answer) up to `retries` times. An open circuit fails the call at
 * once with SERVICE_UNAVAILABLE, reason `circuit open`. Each attempt gets a
 * signal that ends it after `timeoutMs` or at the deadline, whichever comes
 * first; a retry is sent only when a whole attempt still fits before the
 * deadline, so retries never keep a client waiting past it.
 */
export async function guardSubgraphCall<T>(call: (signal: AbortSignal) => Promise<T>, policy: GuardPolicy): Promise<T> {
  const { breaker, serviceName, timeoutMs } = policy;
  const deadline = policy.deadline ?? Infinity;
  for (let attempt = 0; ; attempt += 1) {
    if (!breaker.allowsRequest()) {
      policy.onRejected?.();
      throw new SubgraphUnavailableError(serviceName, 'circuit open');
    }
    const remainingMs = deadline - performance.now();
    // A fetch planned after earlier ones used up the request's time: not sent, and no fault of this subgraph.
    if (remainingMs <= 0) throw new SubgraphUnavailableError(serviceName, 'timeout');
    const limitMs = Math.min(timeoutMs, remainingMs);
    try {
      const result = await withinTime(call, limitMs, serviceName);
      breaker.recordAnswer();
      return result;
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError && error.isOutage)) {
        // A refusal, a 500 or a malformed body: the subgraph is there, so the circuit stays as it is.
        breaker.recordAnswer();
        throw error;
      }
      // Cut short by the request's deadline, the subgraph did not get its whole timeout: that proves nothing against it.
      if (!(error.reason === 'timeout' && limitMs < timeoutMs)) breaker.recordOutage();
      // The real reason, not "circuit open", when this very outage opened the circuit.
      if (attempt >= policy.retries || !breaker.allowsRequest()) throw error;
      const pauseMs = backoff(policy.backoffMs ?? 50, attempt);
      if (performance.now() + pauseMs + timeoutMs > deadline) throw error;
      policy.onRetry?.();
      await sleep(pauseMs);
    }
  }
}

/**
 * One attempt, aborted through its signal after `limitMs`. The timer is
 * Node's own: undici's headers and body timeouts run on a coarse clock that
 * ticks about every half second, so a short limit there fires up to a second
 * late. An attempt that was aborted is a timeout, whatever the fetch made of it.
 */
async function withinTime<T>(call: (signal: AbortSignal) => Promise<T>, limitMs: number, serviceName: string): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${Math.round(limitMs)} ms`, 'TimeoutError')), limitMs);
  try {
    return await call(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? new SubgraphUnavailableError(serviceName, 'timeout') : error;
  } finally {
    clearTimeout(timer);
  }
}

/** Exponential with full jitter, so callers that failed together do not all come back at the same instant. */
function backoff(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** attempt * (0.5 + Math.random()));
}
