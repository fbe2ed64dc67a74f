import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';

/**
 * What every request of a province subgraph carries, whatever feature it
 * reaches. Each feature's context extends it with the services and loaders
 * that feature uses; `ProvinceContext` is all of them together.
 */
export interface ProvinceRequest extends RequestIdentity {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  /** The caller's Authorization header, passed on when this subgraph asks the gateway on the caller's behalf. */
  readonly authorization?: string;
}
