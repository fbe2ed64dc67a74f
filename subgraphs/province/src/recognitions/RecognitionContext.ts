import { authorizedResolvers } from '../../../../shared/src';
import type { ClientGrantService } from '../clientGrants/ClientGrantService';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { RecognitionCatalogService } from './RecognitionCatalogService';
import type { RecognitionLoaders } from './recognitionLoaders';
import type { TierLoaders } from '../talentCards/tierLoaders';
import type { ServiceRedemptionService } from './ServiceRedemptionService';

/** What the recognition resolvers read from a request. */
export interface RecognitionContext extends ProvinceRequest {
  readonly services: { readonly recognitions: RecognitionCatalogService; readonly clientGrants: ClientGrantService; readonly redemptions: ServiceRedemptionService };
  readonly loaders: RecognitionLoaders & TierLoaders;
}

/** Resolvers of recognition fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<RecognitionContext>();
