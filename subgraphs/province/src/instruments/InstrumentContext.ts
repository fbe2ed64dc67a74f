import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { CategoryAdminService } from './CategoryAdminService';
import type { CategoryRepository } from './CategoryRepository';
import type { InstrumentAdminService } from './InstrumentAdminService';
import type { InstrumentLoaders } from './instrumentLoaders';
import type { InstrumentRepository } from './InstrumentRepository';

/** What the instrument resolvers read from a request. */
export interface InstrumentContext extends ProvinceRequest {
  readonly services: { readonly instrumentAdmin: InstrumentAdminService; readonly categoryAdmin: CategoryAdminService };
  readonly repositories: { readonly instruments: InstrumentRepository; readonly categories: CategoryRepository };
  readonly loaders: InstrumentLoaders;
}

/** Resolvers of instrument fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<InstrumentContext>();
