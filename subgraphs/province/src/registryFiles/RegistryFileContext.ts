import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { RegistryImportService } from './RegistryImportService';

/** What the registry-file resolvers read from a request. */
export interface RegistryFileContext extends ProvinceRequest {
  readonly services: { readonly registryImport: RegistryImportService };
}

/** Resolvers of registry-file fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<RegistryFileContext>();
