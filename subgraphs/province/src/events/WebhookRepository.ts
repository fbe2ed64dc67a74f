import type { EntityManager, Repository } from 'typeorm';
import { PreparedReads } from '../../../../shared/src';
import type { StoredSecret } from './delivery/webhookSecretKeys';
import { WebhookSubscriptionEntity } from './WebhookSubscriptionEntity';

/** The claim, a named statement: planned once per connection, as every claim after a commit would plan it again. */
const CLAIMS = new PreparedReads();

/** The columns that hold a subscription's signing secret, in their stored form. */
export type SecretColumns = Pick<WebhookSubscriptionEntity, 'secret' | 'secretKeyId' | 'secretSealed'>;

export type DeliveryState = 'PENDING' | 'DELIVERED' | 'DEAD';

/** One delivery of one event to one subscription, as its subscriber sees it. */
export interface DeliveryRow {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventSequence: string;
  readonly entityId: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

/** A delivery the worker claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly attempts: number;
  /** The partner client the subscription belongs to. */
  readonly clientId: string;
  readonly subscriptionId: string;
  readonly url: string;
  readonly secret: StoredSecret;
  readonly event: {
    readonly id: string;
    readonly sequence: string;
    readonly type: string;
    readonly entityType: string;
    readonly entityId: string;
    readonly occurredAt: Date;
    readonly state: Record<string, unknown>;
  };
}

const DELIVERY_COLUMNS = `
  d.id::text AS "id", d.subscription_id AS "subscriptionId", e.id AS "eventId", e.type AS "eventType",
  d.event_sequence::text AS "eventSequence", d.entity_id AS "entityId", d.state, d.attempts,
  d.next_attempt_at AS "nextAttemptAt", d.last_status AS "lastStatus", d.last_error AS "lastError",
  d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** Webhook subscriptions and their deliveries: the only place their SQL lives. */
export class WebhookRepository {
  private readonly subscriptions: Repository<WebhookSubscriptionEntity>;

  constructor(private readonly manager: EntityManager) {
    this.subscriptions = manager.getRepository(WebhookSubscriptionEntity);
  }

  async insert(subscription: WebhookSubscriptionEntity): Promise<void> {
    await this.subscriptions.insert(subscription);
  }

  findById(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.subscriptions.findOneBy({ id });
  }

  lockForUpdate(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.subscriptions.createQueryBuilder('s').where('s.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  findByClient(clientId: string | null): Promise<WebhookSubscriptionEntity[]> {
    return this.subscriptions.find({ where: clientId === null ? {} : { clientId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async update(id: string, changes: Partial<Pick<WebhookSubscriptionEntity, 'url' | 'eventTypes' | 'active' | 'description'> & SecretColumns>): Promise<void> {
    await this.subscriptions.update({ id }, changes);
  }

  /** Subscriptions whose secret is plain or sealed by another key than `currentKeyId`, locked to seal them again. */
  async lockSecretsToSeal(currentKeyId: string): Promise<{ id: string; secret: StoredSecret }[]> {
    const rows: { id: string; secret: string | null; secret_key_id: string | null; secret_sealed: string | null }[] = await this.manager.query(
      `SELECT id, secret, secret_key_id, secret_sealed FROM webhook_subscriptions
       WHERE secret IS NOT NULL OR secret_key_id IS DISTINCT FROM $1 ORDER BY id FOR UPDATE SKIP LOCKED`,
      [currentKeyId],
    );
    return rows.map((row) => ({ id: row.id, secret: storedSecret(row) }));
  }

  async delete(id: string): Promise<void> {
    await this.subscriptions.delete({ id });
  }

  /** A subscription's deliveries, newest first, keyset-paginated on id. */
  async findDeliveries(subscriptionId: string, state: DeliveryState | null, first: number, beforeId: string | null): Promise<{ rows: DeliveryRow[]; hasNextPage: boolean }> {
    const rows: DeliveryRow[] = await this.manager.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN events e ON e.sequence = d.event_sequence
       WHERE d.subscription_id = $1 AND ($2::varchar IS NULL OR d.state = $2) AND ($3::bigint IS NULL OR d.id < $3)
       ORDER BY d.id DESC LIMIT $4`,
      [subscriptionId, state, beforeId, first + 1],
    );
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /**
   * Queues the subscription's events of its types that occurred at or after `from` again, delivered
   * or dead alike, in their order; answers how many. Subscribers de-duplicate by event id.
   */
  async replay(subscriptionId: string, from: Date): Promise<number> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_sequence, entity_id)
       SELECT s.id, e.sequence, e.entity_id FROM webhook_subscriptions s
       JOIN events e ON e.type = ANY (s.event_types) AND e.occurred_at >= $2
       WHERE s.id = $1
       ORDER BY e.sequence
       RETURNING id`,
      [subscriptionId, from],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due deliveries of active subscriptions for `leaseMs`: each stays PENDING
   * with its next attempt pushed past the lease, so a worker that dies mid-delivery loses nothing
   * (another claims it once the lease ends). A delivery waits while an earlier event about the same
   * entity is still pending for the same subscription: per entity, events arrive in order.
   * SKIP LOCKED: replicas of the province claim different rows and never wait on each other. Claimed in the order of
   * the due index (webhook_deliveries_due), so a claim stops after about `limit` entries however large the backlog.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows: {
      id: string; attempts: number; client_id: string; subscription_id: string; url: string; secret: string | null; secret_key_id: string | null; secret_sealed: string | null; event_id: string; sequence: string; type: string;
      entity_type: string; entity_id: string; occurred_at: Date; state: Record<string, unknown>;
    }[] = await CLAIMS.of(
        `WITH picked AS (
         SELECT c.id FROM webhook_deliveries c
         JOIN webhook_subscriptions s ON s.id = c.subscription_id AND s.active
         WHERE c.state = 'PENDING' AND c.next_attempt_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.subscription_id = c.subscription_id AND p.entity_id = c.entity_id
               AND p.state = 'PENDING' AND p.event_sequence < c.event_sequence)
         ORDER BY c.next_attempt_at, c.event_sequence
         LIMIT $1
         FOR UPDATE OF c SKIP LOCKED),
       claimed AS (
         UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM picked WHERE d.id = picked.id
         RETURNING d.id, d.attempts, d.subscription_id, d.event_sequence)
       SELECT c.id::text AS id, c.attempts, s.client_id, s.id AS subscription_id, s.url, s.secret, s.secret_key_id, s.secret_sealed, e.id AS event_id, e.sequence::text AS sequence, e.type,
              e.entity_type, e.entity_id, e.occurred_at, e.state
       FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id JOIN events e ON e.sequence = c.event_sequence
       ORDER BY e.sequence, c.id`,
    ).rows(this.manager, [limit, leaseMs]);
    return rows.map((row) => ({
      id: row.id,
      attempts: row.attempts,
      clientId: row.client_id,
      subscriptionId: row.subscription_id,
      url: row.url,
      secret: storedSecret(row),
      event: {
        id: row.event_id, sequence: row.sequence, type: row.type, entityType: row.entity_type, entityId: row.entity_id,
        occurredAt: row.occurred_at, state: row.state,
      },
    }));
  }

  async markDelivered(id: string, status: number): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_deliveries SET state = 'DELIVERED', delivered_at = now(), last_status = $2, last_error = NULL WHERE id = $1`,
      [id, status],
    );
  }

  /** A failed attempt: try again after `retryInMs`, or give up (DEAD) when `dead`. */
  async markFailed(id: string, failure: { status: number | null; error: string }, retryInMs: number | null): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_deliveries
       SET last_status = $2, last_error = $3,
           state = CASE WHEN $4::double precision IS NULL THEN 'DEAD' ELSE 'PENDING' END,
           next_attempt_at = CASE WHEN $4::double precision IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $4::double precision / 1000) END
       WHERE id = $1`,
      [id, failure.status, failure.error.slice(0, 500), retryInMs],
    );
  }
}

function storedSecret(row: { secret: string | null; secret_key_id: string | null; secret_sealed: string | null }): StoredSecret {
  return row.secret_sealed !== null && row.secret_key_id !== null ? { keyId: row.secret_key_id, sealed: row.secret_sealed } : { plain: row.secret ?? '' };
}
