import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { UsageLoaders } from './usageLoaders';
import type { UsageService } from './UsageService';

/** What the actual-use and rating resolvers read from a request. */
export interface UsageContext extends ProvinceRequest {
  readonly services: { readonly usage: UsageService };
  readonly loaders: UsageLoaders;
}

/** Resolvers of usage fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<UsageContext>();
