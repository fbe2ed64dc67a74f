import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { EventFeedService } from './EventFeedService';
import type { WebhookService } from './WebhookService';

/** What the event and webhook resolvers read from a request. */
export interface EventContext extends ProvinceRequest {
  readonly services: { readonly events: EventFeedService; readonly webhooks: WebhookService };
}

/** Resolvers of event fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<EventContext>();
