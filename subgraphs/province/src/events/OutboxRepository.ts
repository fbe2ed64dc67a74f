import { randomUUID } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import { EventEntity } from './EventEntity';
import { EVENT_TYPES, REQUESTER_NOTIFICATION_TYPES, type EventType } from './eventTypes';

/** What a change records about itself: which event, about what, and the entity's new state (ids and public fields only). */
export interface EventRecord {
  readonly type: EventType;
  /** Global id of the entity. */
  readonly entityId: string;
  readonly state: Record<string, unknown>;
}

/** Largest event state, as JSON: an event names and summarises a change, it never carries documents. */
export const MAX_EVENT_STATE_BYTES = 8_192;

/**
 * The outbox of one unit of work: `record` keeps the event, and the unit of work writes it in the
 * same transaction just before committing (`flush`). The commit itself numbers it (migration
 * NumberEventsAtCommit): under one lock per province, held only while the transaction commits, each
 * event gets the next sequence number, so numbers follow commit order and a reader that has seen
 * event n has seen every event before it; it also gets one delivery per webhook subscription that
 * wants it, a paused one too (its deliveries wait until it is resumed), and the mail to the person
 * concerned when the type tells them (`notifiesRequester`). A change that fails writes no event.
 */
export class OutboxRepository {
  private readonly pending: (EventRecord & { id: string })[] = [];
  private written = 0;
  private readonly events: Repository<EventEntity>;

  /**
   * `mailsPeople: false` writes events nobody is mailed about: history recorded after the fact (the demo seed's past
   * bookings) is not news to the people in it.
   */
  constructor(private readonly manager: EntityManager, private readonly mailsPeople = true) {
    this.events = manager.getRepository(EventEntity);
  }

  /** Records an event of this unit of work; it is written with the change, or not at all. Answers the event's id. */
  record(event: EventRecord): string {
    if (!Object.prototype.hasOwnProperty.call(EVENT_TYPES, event.type)) throw new Error(`unknown event type ${event.type}: add it to EVENT_TYPES`);
    const size = Buffer.byteLength(JSON.stringify(event.state));
    if (size > MAX_EVENT_STATE_BYTES) throw new Error(`the state of a ${event.type} event is ${size} bytes; at most ${MAX_EVENT_STATE_BYTES}`);
    const id = randomUUID();
    this.pending.push({ ...event, id });
    return id;
  }

  /** Writes the recorded events, in order, to be numbered when the transaction commits; the unit of work calls it last. */
  async flush(): Promise<void> {
    const events = this.pending.splice(0);
    if (events.length === 0) return;
    await this.manager.query(
      `INSERT INTO outbox_pending (id, type, entity_type, entity_id, state, mails_requester)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::jsonb[], $6::boolean[])`,
      [
        events.map((event) => event.id),
        events.map((event) => event.type),
        events.map((event) => EVENT_TYPES[event.type].entityType),
        events.map((event) => event.entityId),
        events.map((event) => JSON.stringify(event.state)),
        events.map((event) => this.mailsPeople && REQUESTER_NOTIFICATION_TYPES.includes(event.type)),
      ],
    );
    this.written += events.length;
  }

  /** Whether this unit of work wrote any event (the delivery worker is woken after its commit). */
  get wroteEvents(): boolean {
    return this.written > 0;
  }

  /** Events after a sequence number, oldest first, of the given types; one row more tells whether a page follows. */
  async findAfter(after: bigint, types: readonly string[], first: number): Promise<{ rows: EventEntity[]; hasNextPage: boolean }> {
    const rows = await this.events
      .createQueryBuilder('e')
      .where('e.sequence > :after', { after: after.toString() })
      .andWhere('e.type = ANY (:types)', { types })
      .orderBy('e.sequence', 'ASC')
      .limit(first + 1)
      .getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}
