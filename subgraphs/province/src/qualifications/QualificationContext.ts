import { authorizedResolvers } from '../../../../shared/src';
import type { InstrumentLoaders } from '../instruments/instrumentLoaders';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { QualificationLoaders } from './qualificationLoaders';
import type { QualificationRepository } from './QualificationRepository';
import type { QualificationService } from './QualificationService';

/** What the qualification and booking-rule resolvers read from a request. */
export interface QualificationContext extends ProvinceRequest {
  readonly services: { readonly qualifications: QualificationService };
  readonly repositories: { readonly qualifications: QualificationRepository };
  readonly loaders: QualificationLoaders & Pick<InstrumentLoaders, 'instruments'>;
}

/** Resolvers of qualification fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<QualificationContext>();
