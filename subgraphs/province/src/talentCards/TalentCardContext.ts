import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { TalentCardLoaders } from './talentCardLoaders';
import type { TierLoaders } from './tierLoaders';
import type { TalentCardRepository } from './TalentCardRepository';
import type { TalentCardService } from './TalentCardService';

/** What the talent-card resolvers read from a request. */
export interface TalentCardContext extends ProvinceRequest {
  readonly services: { readonly talentCards: TalentCardService };
  readonly repositories: { readonly talentCards: TalentCardRepository };
  readonly loaders: TalentCardLoaders & TierLoaders;
}

/** Resolvers of talent-card fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<TalentCardContext>();
