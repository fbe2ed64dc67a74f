import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { TalentCardLoaders } from '../talentCards/talentCardLoaders';
import type { TierLoaders } from '../talentCards/tierLoaders';
import type { CardCheckService } from './CardCheckService';

/** What the card-check resolvers read from a request. */
export interface CardCheckContext extends ProvinceRequest {
  readonly services: { readonly cardChecks: CardCheckService };
  readonly loaders: TalentCardLoaders & TierLoaders;
}

/** Resolvers of card-check fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<CardCheckContext>();
