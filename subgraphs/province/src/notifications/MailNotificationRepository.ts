import type { EntityManager } from 'typeorm';
import { PreparedReads } from '../../../../shared/src';

/** The claim, a named statement: planned once per connection, as every claim after a commit would plan it again. */
const CLAIMS = new PreparedReads();

/** A notification claimed for sending: the event it tells of, and how many attempts it has had (this one included). */
export interface ClaimedNotification {
  readonly id: string;
  readonly attempts: number;
  readonly event: {
    readonly id: string;
    readonly type: string;
    readonly entityType: string;
    readonly entityId: string;
    readonly occurredAt: Date;
    readonly state: Record<string, unknown>;
  };
}

/** What a mail about a booking or a service request says, besides the event: whom it is for and what it is about. */
export interface NotificationSubject {
  /** The person's platform user id. */
  readonly personId: string;
  readonly name: string;
  readonly nameZh: string;
  /** Service requests: the quote, as it is now. */
  readonly quoteAmountFen: number | null;
  readonly quoteValidUntil: Date | null;
  /** Why it was rejected or cancelled: a request's closing reason, a booking's note at that step. */
  readonly reason: string | null;
}

export type NotificationOutcome = 'SENT' | 'SKIPPED';

/** Every query on mail_notifications, and the rows a mail is written from. */
export class MailNotificationRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Claims up to `limit` due notifications for `leaseMs` (attempts counted now, next attempt pushed past the lease),
   * so a process that stops while sending loses nothing; a notification waits while an earlier one about the same
   * booking or request is pending, so a person reads "quoted" before "report issued". SKIP LOCKED: replicas claim
   * different rows. Claimed in the order of the due index (mail_notifications_due: due time, then sequence), so a claim
   * reads about `limit` index entries and stops, however many are due; ordered by sequence alone, every claim read and
   * sorted the whole backlog (3.5–9 ms a claim while a few hundred waited, one claim per committed event).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    const rows: { id: string; attempts: number; event_id: string; type: string; entity_type: string; entity_id: string; occurred_at: Date; state: Record<string, unknown> }[] =
      await CLAIMS.of(
        `WITH picked AS (
           SELECT n.id FROM mail_notifications n
           WHERE n.state = 'PENDING' AND n.next_attempt_at <= now()
             AND NOT EXISTS (
               SELECT 1 FROM mail_notifications p
               WHERE p.entity_id = n.entity_id AND p.state = 'PENDING' AND p.event_sequence < n.event_sequence)
           ORDER BY n.next_attempt_at, n.event_sequence
           LIMIT $1
           FOR UPDATE OF n SKIP LOCKED),
         claimed AS (
           UPDATE mail_notifications m SET attempts = m.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
           FROM picked WHERE m.id = picked.id
           RETURNING m.id, m.attempts, m.event_sequence)
         SELECT c.id::text AS id, c.attempts, e.id AS event_id, e.type, e.entity_type, e.entity_id, e.occurred_at, e.state
         FROM claimed c JOIN events e ON e.sequence = c.event_sequence
         ORDER BY e.sequence`,
      ).rows(this.manager, [limit, leaseMs]);
    return rows.map((row) => ({
      id: row.id,
      attempts: row.attempts,
      event: { id: row.event_id, type: row.type, entityType: row.entity_type, entityId: row.entity_id, occurredAt: row.occurred_at, state: row.state },
    }));
  }

  /**
   * The person and the names a mail about this booking or service request needs (with the note staff wrote when
   * the booking reached `status`); null when it no longer exists.
   */
  async subject(entityType: string, localId: string, status: string): Promise<NotificationSubject | null> {
    const [row] = entityType === 'booking'
      ? await this.manager.query(
        `SELECT b.user_id AS person_id, i.name, i.name_zh, NULL::bigint AS quote_amount_fen, NULL::timestamptz AS quote_valid_until,
                (SELECT be.note FROM booking_events be WHERE be.booking_id = b.id AND be.status = $2 ORDER BY be.id DESC LIMIT 1) AS closing_reason
         FROM bookings b JOIN instruments i ON i.id = b.instrument_id WHERE b.id = $1`,
        [localId, status],
      )
      : await this.manager.query(
        `SELECT r.requester_id AS person_id, o.name, o.name_zh, r.quote_amount_fen, r.quote_valid_until, r.closing_reason
         FROM service_requests r JOIN offerings o ON o.id = r.offering_id WHERE r.id = $1`,
        [localId],
      );
    if (!row) return null;
    return {
      personId: row.person_id,
      name: row.name,
      nameZh: row.name_zh,
      quoteAmountFen: row.quote_amount_fen === null ? null : Number(row.quote_amount_fen),
      quoteValidUntil: row.quote_valid_until,
      reason: row.closing_reason,
    };
  }

  async markDone(id: string, outcome: NotificationOutcome, note: string | null = null): Promise<void> {
    await this.manager.query(
      `UPDATE mail_notifications SET state = $2, finished_at = now(), last_error = $3 WHERE id = $1`,
      [id, outcome, note?.slice(0, 500) ?? null],
    );
  }

  /** A failed attempt: try again after `retryInMs`, or give up (DEAD) when it is null. */
  async markFailed(id: string, error: string, retryInMs: number | null): Promise<void> {
    await this.manager.query(
      `UPDATE mail_notifications
       SET last_error = $2,
           state = CASE WHEN $3::double precision IS NULL THEN 'DEAD' ELSE 'PENDING' END,
           finished_at = CASE WHEN $3::double precision IS NULL THEN now() END,
           next_attempt_at = CASE WHEN $3::double precision IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $3::double precision / 1000) END
       WHERE id = $1`,
      [id, error.slice(0, 500), retryInMs],
    );
  }
}
