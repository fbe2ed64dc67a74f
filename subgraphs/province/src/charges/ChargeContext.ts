import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { ChargeLoaders } from './chargeLoaders';
import type { ChargeService } from './ChargeService';

/** What the charge resolvers read from a request. */
export interface ChargeContext extends ProvinceRequest {
  readonly services: { readonly charges: ChargeService };
  readonly loaders: ChargeLoaders;
}

/** Resolvers of charge fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<ChargeContext>();
