import type { RequestIdentity } from '../../shared/src';

/** Per-request state of the gateway. */
export interface GatewayContext extends RequestIdentity {
  /** The verified `Authorization` header, forwarded to subgraphs; absent for anonymous callers. */
  readonly authorization?: string;
  /** The caller's address, seen through the trusted load balancers (TRUSTED_PROXIES); the platform throttles sign-ins by it. */
  readonly clientAddress: string;
  /**
   * When this request's time is up (`deadlineIn(GATEWAY_REQUEST_DEADLINE_MS)`
   * when it arrived, resilience/guardSubgraphCall.ts): every subgraph fetch it
   * causes, retries included, ends by then. Absent on fetches no client asked for.
   */
  readonly deadline?: number;
}
