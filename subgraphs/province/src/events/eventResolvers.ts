import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type EventContext } from './EventContext';
import type { EventEntity } from './EventEntity';
import type { EventFeedArgs } from './EventFeedService';
import { EVENT_TYPE_NAMES, EVENT_TYPES, readScopeOf } from './eventTypes';
import type { DeliveryState } from './WebhookRepository';
import type { WebhookSubscriptionInput, WebhookSubscriptionUpdate } from './WebhookService';
import type { WebhookSubscriptionEntity } from './WebhookSubscriptionEntity';

/** `<Province>Registry` fields of the outbox and its webhooks. */
export const eventRegistryResolvers = {
  eventTypes: (_: unknown, __: unknown, { province }: EventContext) =>
    EVENT_TYPE_NAMES.map((name) => ({ name, ...EVENT_TYPES[name], readScope: readScopeOf(name, province.key) })),
  events: authorized.authenticated((_: unknown, args: EventFeedArgs, { services, viewer }) => services.events.page(viewer, args)),
  webhookSubscriptions: authorized.authenticated((_: unknown, { clientId }: { clientId?: string | null }, { services, viewer }) =>
    services.webhooks.list(viewer, clientId),
  ),
};

/** Fields of `<Province>Event` that are not a column of the same name. */
export function eventResolvers(province: ProvinceDefinition) {
  return {
    province: () => province.code,
    state: (event: EventEntity) => JSON.stringify(event.state),
  };
}

/** `<Province>WebhookSubscription.deliveries`: only reachable through a subscription the viewer may see. */
export const webhookSubscriptionResolvers = {
  deliveries: (subscription: WebhookSubscriptionEntity, args: { state?: DeliveryState | null; first: number; after?: string | null }, { services }: EventContext) =>
    services.webhooks.deliveries(subscription, args),
};

/** The webhook mutations of one province (`createSichuanWebhookSubscription`…). */
export function webhookMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`create${P}WebhookSubscription`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: { input: WebhookSubscriptionInput }, { services, viewer }) =>
      services.webhooks.create(viewer, input),
    ),
    [`update${P}WebhookSubscription`]: authorized.authenticated((_: unknown, { id, input }: { id: string; input: WebhookSubscriptionUpdate }, { services, viewer }) =>
      services.webhooks.update(viewer, id, input),
    ),
    [`delete${P}WebhookSubscription`]: authorized.authenticated((_: unknown, { id }: { id: string }, { services, viewer }) => services.webhooks.delete(viewer, id)),
    [`rotate${P}WebhookSecret`]: authorized.authenticated((_: unknown, { id }: { id: string }, { services, viewer }) => services.webhooks.rotateSecret(viewer, id)),
    [`replay${P}WebhookDeliveries`]: authorized.authenticated((_: unknown, { id, from }: { id: string; from: Date }, { services, viewer }) =>
      services.webhooks.replay(viewer, id, from),
    ),
  };
}
