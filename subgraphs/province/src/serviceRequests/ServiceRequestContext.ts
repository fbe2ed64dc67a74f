import { authorizedResolvers } from '../../../../shared/src';
import type { OfferingLoaders } from '../offerings/offeringLoaders';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { ServiceRequestLoaders } from './serviceRequestLoaders';
import type { ServiceRequestRepository } from './ServiceRequestRepository';
import type { ServiceRequestService } from './ServiceRequestService';

/** What the service request resolvers read from a request (a service request names its offering). */
export interface ServiceRequestContext extends ProvinceRequest {
  readonly services: { readonly serviceRequests: ServiceRequestService };
  readonly repositories: { readonly serviceRequests: ServiceRequestRepository };
  readonly loaders: ServiceRequestLoaders & Pick<OfferingLoaders, 'offerings'>;
}

/** Resolvers of service request fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<ServiceRequestContext>();
