import type { RequestIdentity } from '../../shared/src';

/** Per-request state of the gateway. */
export interface GatewayContext extends RequestIdentity {
  /** The verified `Authorization` header, forwarded to subgraphs; absent for anonymous callers. */
  readonly authorization?: string;
}
