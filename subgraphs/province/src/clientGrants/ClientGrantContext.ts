import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { ClientGrantService } from './ClientGrantService';

/** What the client-grant resolvers read from a request. */
export interface ClientGrantContext extends ProvinceRequest {
  readonly services: { readonly clientGrants: ClientGrantService };
}

/** Resolvers of grant fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<ClientGrantContext>();
