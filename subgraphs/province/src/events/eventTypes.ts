/**
 * Every event a province publishes, in one place. Adding a type is one entry here, then one
 * `tx.events.record({ type, … })` in the unit of work of the change it describes: subscriptions,
 * `events(after:)` and the delivery worker know the new type from this list alone.
 *
 * `readScope` is what a caller needs to read the event (`events(after:)`, a webhook's event types):
 * the same scope that reads the entity's public side, since an event carries only ids and the new
 * state that scope already shows (a booking's instrument, period and status are its instrument's
 * public busy times; never who booked or why).
 */
export const EVENT_TYPES = {
  'booking.requested': { entityType: 'booking', readScope: 'catalog:read', description: 'A researcher requested a booking.' },
  'booking.confirmed': { entityType: 'booking', readScope: 'catalog:read', description: 'An admin confirmed a booking.' },
  'booking.rejected': { entityType: 'booking', readScope: 'catalog:read', description: 'An admin rejected a booking.' },
  'booking.cancelled': { entityType: 'booking', readScope: 'catalog:read', description: 'A booking was cancelled before it started.' },
  'booking.completed': { entityType: 'booking', readScope: 'catalog:read', description: 'A booking was used: an admin recorded it, or staff checked the user out.' },
  'booking.no_show': { entityType: 'booking', readScope: 'catalog:read', description: 'Nobody checked in to a confirmed booking within the grace period.' },
  'talentCard.issued': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin issued a talent card.' },
  'talentCard.renewed': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin extended a talent card (or changed its tier).' },
  'talentCard.revoked': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin revoked a talent card.' },
  'instrument.created': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument joined the registry.' },
  'instrument.updated': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument\'s public details changed.' },
  'instrument.retired': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument left the registry for good.' },
  'lab.created': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab joined the registry.' },
  'lab.updated': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab\'s public details changed.' },
  'lab.retired': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab closed.' },
} as const satisfies Record<string, EventTypeDefinition>;

export interface EventTypeDefinition {
  /** The kind of entity the event is about (as in its global id). */
  readonly entityType: string;
  /** The scope a caller needs to read this event. */
  readonly readScope: string;
  readonly description: string;
}

export type EventType = keyof typeof EVENT_TYPES;

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}

/** The event types a caller holding these scopes may read. */
export function readableEventTypes(scopes: ReadonlySet<string>): EventType[] {
  return EVENT_TYPE_NAMES.filter((type) => scopes.has(EVENT_TYPES[type].readScope));
}
