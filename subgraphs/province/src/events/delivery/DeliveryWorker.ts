import type { Logger, ProvinceDefinition } from '../../../../../shared/src';
import type { ClaimedDelivery, WebhookRepository } from '../WebhookRepository';
import { postWebhook, type PostOutcome } from './postWebhook';
import { retryDelayMs } from './retryDelay';
import { SIGNATURE_HEADER, signWebhook } from './signWebhook';
import type { Resolve, WebhookAddressPolicy } from './webhookAddresses';

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
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> | undefined;
  private again = false;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly province: ProvinceDefinition,
    private readonly webhooks: WebhookRepository,
    private readonly settings: DeliverySettings,
    private readonly logger: Logger,
    private readonly resolve?: Resolve,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Looks for due deliveries now (an event was just committed). */
  wake(): void {
    if (!this.running) return;
    if (this.polling) this.again = true;
    else this.schedule(0);
  }

  /** Stops claiming and waits for the deliveries in flight (each ends within its timeout). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all([...this.active]);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    let claimed: ClaimedDelivery[] = [];
    const room = this.settings.concurrency - this.inFlight;
    if (room > 0) {
      try {
        // The lease outlasts an attempt, so no other worker claims a delivery still being sent.
        claimed = await this.webhooks.claimDue(room, this.settings.timeoutMs + 5_000);
      } catch (error) {
        this.logger.warn({ err: error }, 'webhook deliveries could not be claimed; trying again');
      }
    }
    for (const delivery of claimed) this.track(this.deliver(delivery));
    if (!this.running) return;
    // A full batch or a wake-up during the poll: more may be due at once.
    const more = this.again || (room > 0 && claimed.length === room);
    this.again = false;
    this.schedule(more ? 0 : this.settings.pollMs);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight += 1;
    this.active.add(delivery);
    void delivery.finally(() => {
      this.inFlight -= 1;
      this.active.delete(delivery);
      // A slot is free: deliveries of the same entity may have waited for this one.
      this.wake();
    });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const body = deliveryBody(this.province, delivery.event);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Shuangcheng-Webhooks/1',
      'shuangcheng-event-id': delivery.event.id,
      'shuangcheng-event-type': delivery.event.type,
      'shuangcheng-delivery-attempt': String(delivery.attempts),
      [SIGNATURE_HEADER]: signWebhook(delivery.secret, body, Math.floor(Date.now() / 1000)),
    };
    let outcome: PostOutcome;
    try {
      outcome = await postWebhook(delivery.url, body, headers, { timeoutMs: this.settings.timeoutMs, policy: this.settings.policy, resolve: this.resolve });
    } catch (error) {
      outcome = { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    }
    const log = { deliveryId: delivery.id, eventId: delivery.event.id, type: delivery.event.type, attempt: delivery.attempts };
    try {
      if (outcome.ok) {
        await this.webhooks.markDelivered(delivery.id, outcome.status);
        return;
      }
      const dead = delivery.attempts >= this.settings.maxAttempts;
      await this.webhooks.markFailed(
        delivery.id,
        { status: outcome.status, error: outcome.error },
        dead ? null : retryDelayMs(delivery.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs),
      );
      this.logger[dead ? 'warn' : 'info']({ ...log, status: outcome.status, error: outcome.error }, dead ? 'webhook delivery dead' : 'webhook delivery failed; will retry');
    } catch (error) {
      // The lease ends and the delivery is claimed again: at least once.
      this.logger.warn({ ...log, err: error }, 'webhook delivery outcome not recorded; it will be sent again');
    }
  }
}
