import {
  badUserInput, checkPageSize, cursorCodec, effectiveScopes, forbidden, isProvinceAdmin, toConnection, type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { EventEntity } from './EventEntity';
import { EVENT_TYPE_NAMES, isEventType, readableEventTypes, readScopeOf, type EventType } from './eventTypes';
import type { OutboxRepository } from './OutboxRepository';

export interface EventFeedArgs {
  after?: string | null;
  first: number;
  types?: readonly string[] | null;
}

/** The largest bigint PostgreSQL stores. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Position in the outbox: an event's sequence number (a bigint, kept as text). */
export const eventCursor = cursorCodec<bigint>(
  (sequence) => [sequence.toString()],
  ([sequence, ...rest]) => (sequence !== undefined && /^\d{1,19}$/.test(sequence) && BigInt(sequence) <= MAX_BIGINT && rest.length === 0 ? BigInt(sequence) : null),
);

/**
 * The outbox read as a connection, for partners that cannot receive webhooks: oldest first, from
 * just after a cursor. Sequence numbers follow commit order, so a reader that keeps its last
 * `endCursor` and asks again never misses an event.
 */
export class EventFeedService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly outbox: Pick<OutboxRepository, 'findAfter'>,
  ) {}

  /** The event types this viewer may read: this province's admins, every one; anyone else, those their scopes cover. */
  readableTypes(viewer: Viewer): EventType[] {
    return isProvinceAdmin(viewer, this.province.key) ? [...EVENT_TYPE_NAMES] : readableEventTypes(effectiveScopes(viewer), this.province.key);
  }

  async page(viewer: Viewer, args: EventFeedArgs): Promise<Connection<EventEntity>> {
    const first = checkPageSize(args.first);
    const readable = this.readableTypes(viewer);
    let types: readonly string[] = readable;
    if (args.types != null) {
      const unknown = args.types.filter((type) => !isEventType(type));
      if (unknown.length > 0) {
        throw badUserInput(`Unknown event type(s): ${unknown.join(', ')}. Known types: ${EVENT_TYPE_NAMES.join(', ')}.`, { argument: 'types', unknown });
      }
      const closed = args.types.filter((type) => !readable.includes(type as EventType));
      if (closed.length > 0) {
        const scopes = [...new Set(closed.map((type) => readScopeOf(type as EventType, this.province.key)))];
        throw forbidden(`Reading ${closed.join(', ')} needs the scope ${scopes.join(' and ')}.`);
      }
      types = args.types;
    }
    const { rows, hasNextPage } = await this.outbox.findAfter(eventCursor.decode(args.after) ?? 0n, types, first);
    return toConnection(rows, hasNextPage, (row) => eventCursor.encode(BigInt(row.sequence)));
  }
}
