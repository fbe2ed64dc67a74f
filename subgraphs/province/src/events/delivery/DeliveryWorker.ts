import { QueueLoop, type Logger, type ProvinceDefinition } from '../../../../../shared/src';
import type { ClientEntitlement } from '../../clientGrants/ClientGrantService';
import { isEventType, readScopeOf } from '../eventTypes';
import type { ClaimedDelivery, WebhookRepository } from '../WebhookRepository';
import { postWebhook, type PostOutcome } from './postWebhook';
import { retryDelayMs } from './retryDelay';
import { SIGNATURE_HEADER, signWebhook } from './signWebhook';
import type { Resolve, WebhookAddressPolicy } from './webhookAddresses';
import type { WebhookSecretBox } from './webhookSecretKeys';

/** What this province grants each of these clients now (ClientGrantService.entitlements): one look-up for many. */
export type EntitlementLookup = (clientIds: readonly string[]) => Promise<ReadonlyMap<string, ClientEntitlement>>;

/** A claimed delivery with the entitlements of its round's clients, looked up once for the whole round. */
interface RoundDelivery {
  readonly delivery: ClaimedDelivery;
  readonly entitlements: Promise<ReadonlyMap<string, ClientEntitlement>>;
}

/** How the worker delivers (from the province's config: WEBHOOK_* variables). */
export interface DeliverySettings {
  readonly policy: WebhookAddressPolicy;
  /** Longest wait for one attempt, the receiver's whole answer included. */
  readonly timeoutMs: number;
  /** Attempts before a delivery is dead (visible to its subscriber, who may replay it). */
  readonly maxAttempts: number;
  /** First retry after about this long, doubling each time (with jitter), at most `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Deliveries in flight at once, per process. */
  readonly concurrency: number;
  /** How often the worker looks for due deliveries when nothing woke it. */
  readonly pollMs: number;
}

/** The JSON body of a delivery: the event as `events(after:)` shows it. */
export function deliveryBody(province: ProvinceDefinition, event: ClaimedDelivery['event']): string {
  return JSON.stringify({
    id: event.id,
    sequence: event.sequence,
    type: event.type,
    province: province.code,
    entityType: event.entityType,
    entityId: event.entityId,
    occurredAt: event.occurredAt.toISOString(),
    state: event.state,
  });
}

/**
 * Delivers the outbox's webhooks: its own loop beside the API (a slow or dead receiver holds only
 * this loop's few sockets, never a request or a database connection), at most `concurrency` at once.
 * Each delivery is claimed with a lease (WebhookRepository.claimDue), so a process that stops
 * mid-delivery loses nothing: the delivery is claimed again when its lease ends, and the receiver
 * de-duplicates by event id (at least once).
 */
export class DeliveryWorker {
  private readonly loop: QueueLoop<RoundDelivery>;

  constructor(
    private readonly province: ProvinceDefinition,
    private readonly webhooks: WebhookRepository,
    private readonly settings: DeliverySettings,
    private readonly logger: Logger,
    /** What this province grants clients now: a client is sent only what it may still read here. */
    private readonly entitlements: EntitlementLookup,
    /** Opens the subscriptions' sealed signing secrets. */
    private readonly secrets: WebhookSecretBox,
    private readonly resolve?: Resolve,
  ) {
    this.loop = new QueueLoop({
      // The lease outlasts an attempt, so no other worker claims a delivery still being sent.
      claim: async (limit) => {
        const deliveries = await webhooks.claimDue(limit, settings.timeoutMs + 5_000);
        if (deliveries.length === 0) return [];
        // One look-up for the round's clients, not one per delivery; a failure fails each delivery of the round alike.
        const entitlements = this.entitlements([...new Set(deliveries.map((delivery) => delivery.clientId))]);
        entitlements.catch(() => undefined);
        return deliveries.map((delivery) => ({ delivery, entitlements }));
      },
      handle: (round) => this.deliver(round),
      concurrency: settings.concurrency,
      pollMs: settings.pollMs,
      onClaimError: (error) => logger.warn({ err: error }, 'webhook deliveries could not be claimed; trying again'),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Looks for due deliveries now (an event was just committed). */
  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming and waits for the deliveries in flight (each ends within its timeout). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async deliver({ delivery, entitlements }: RoundDelivery): Promise<void> {
    const log = { deliveryId: delivery.id, eventId: delivery.event.id, type: delivery.event.type, attempt: delivery.attempts };
    let refusal: string | null;
    try {
      refusal = this.refusal(delivery, await entitlements);
    } catch (error) {
      // The platform could not say whether the client still stands: try again later, like a receiver that failed.
      await this.recordFailure(delivery, { status: null, error: `the client's standing could not be checked: ${error instanceof Error ? error.message : String(error)}` }, log);
      return;
    }
    if (refusal) {
      // Dead at once: the subscriber sees why, and replays once the grant is back or the client reactivated.
      await this.recordFailure(delivery, { status: null, error: refusal }, log, true);
      return;
    }
    let secret: string;
    try {
      secret = this.secrets.openStored(delivery.subscriptionId, delivery.secret);
    } catch (error) {
      // Another replica sealed it with a key this one was not given yet: retried, and dead only after the last attempt.
      await this.recordFailure(delivery, { status: null, error: error instanceof Error ? error.message : String(error) }, log);
      return;
    }
    const body = deliveryBody(this.province, delivery.event);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Shuangcheng-Webhooks/1',
      'shuangcheng-event-id': delivery.event.id,
      'shuangcheng-event-type': delivery.event.type,
      'shuangcheng-delivery-attempt': String(delivery.attempts),
      [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
    };
    let outcome: PostOutcome;
    try {
      outcome = await postWebhook(delivery.url, body, headers, { timeoutMs: this.settings.timeoutMs, policy: this.settings.policy, resolve: this.resolve });
    } catch (error) {
      outcome = { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.ok) {
      try {
        await this.webhooks.markDelivered(delivery.id, outcome.status);
      } catch (error) {
        // The lease ends and the delivery is claimed again: at least once.
        this.logger.warn({ ...log, err: error }, 'webhook delivery outcome not recorded; it will be sent again');
      }
      return;
    }
    await this.recordFailure(delivery, { status: outcome.status, error: outcome.error }, log);
  }

  /** Why this client may not be sent this event now, or null when it may. */
  private refusal(delivery: ClaimedDelivery, entitlements: ReadonlyMap<string, ClientEntitlement>): string | null {
    const entitlement = entitlements.get(delivery.clientId);
    if (!entitlement) return `${delivery.clientId} is unknown to the platform`;
    if ('refusal' in entitlement) return entitlement.refusal;
    const type = delivery.event.type;
    if (!isEventType(type)) return `${type} is no longer an event type`;
    const scope = readScopeOf(type, this.province.key);
    return entitlement.scopes.has(scope) ? null : `${this.province.nameEn} no longer grants ${delivery.clientId} ${scope}, which reading ${type} needs.`;
  }

  /** A failed attempt: retried with backoff, or dead after the last attempt (or at once when `dead`). */
  private async recordFailure(delivery: ClaimedDelivery, failure: { status: number | null; error: string }, log: Record<string, unknown>, dead = false): Promise<void> {
    const last = dead || delivery.attempts >= this.settings.maxAttempts;
    try {
      await this.webhooks.markFailed(delivery.id, failure, last ? null : retryDelayMs(delivery.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs));
      this.logger[last ? 'warn' : 'info']({ ...log, ...failure }, last ? 'webhook delivery dead' : 'webhook delivery failed; will retry');
    } catch (error) {
      // The lease ends and the delivery is claimed again: at least once.
      this.logger.warn({ ...log, err: error }, 'webhook delivery outcome not recorded; it will be sent again');
    }
  }
}
