import { authorizedResolvers } from '../../../../shared/src';
import type { InstrumentLoaders } from '../instruments/instrumentLoaders';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { LabAdminService } from './LabAdminService';
import type { LabLoaders } from './labLoaders';
import type { LabRepository } from './LabRepository';

/** What the lab resolvers read from a request (a lab lists its instruments). */
export interface LabContext extends ProvinceRequest {
  readonly services: { readonly labAdmin: LabAdminService };
  readonly repositories: { readonly labs: LabRepository };
  readonly loaders: LabLoaders & Pick<InstrumentLoaders, 'labInstruments'>;
}

/** Resolvers of lab fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<LabContext>();
