import { authorizedResolvers } from '../../../../shared/src';
import type { InstrumentLoaders } from '../instruments/instrumentLoaders';
import type { LabLoaders } from '../labs/labLoaders';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { OfferingAdminService } from './OfferingAdminService';
import type { OfferingLoaders } from './offeringLoaders';
import type { OfferingRepository } from './OfferingRepository';

/** What the offering resolvers read from a request (an offering names its instrument or lab). */
export interface OfferingContext extends ProvinceRequest {
  readonly services: { readonly offeringAdmin: OfferingAdminService };
  readonly repositories: { readonly offerings: OfferingRepository };
  readonly loaders: OfferingLoaders & Pick<InstrumentLoaders, 'instruments'> & Pick<LabLoaders, 'labs'>;
}

/** Resolvers of offering fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<OfferingContext>();
