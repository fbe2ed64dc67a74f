import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../shared/src';

/** Why a subgraph could not answer: what a client sees in `extensions.reason`. */
export type UnavailableReason = 'unreachable' | 'timeout' | 'circuit open' | `HTTP ${number}`;

/** Reasons that say nothing about the request itself, only that the subgraph (or the proxy in front of it) is down or slow. */
const OUTAGE_REASONS: ReadonlySet<UnavailableReason> = new Set(['unreachable', 'timeout', 'HTTP 502', 'HTTP 503', 'HTTP 504']);

/**
 * A subgraph that could not answer, named with the reason; the rest of the
 * answer is still returned. One class, so the circuit breaker and the retries
 * can tell an outage from the subgraph's own verdict on a request.
 */
export class SubgraphUnavailableError extends GraphQLError {
  constructor(
    readonly serviceName: string,
    readonly reason: UnavailableReason,
  ) {
    super(`The ${serviceName} service is unavailable right now (${reason}); the rest of the answer is complete.`, {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName, reason },
    });
  }

  /** An outage (connection refused or reset, timeout, 502/503/504): worth a retry, and a strike against the circuit. */
  get isOutage(): boolean {
    return OUTAGE_REASONS.has(this.reason);
  }
}
