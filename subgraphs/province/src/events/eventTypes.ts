/**
 * Every event a province publishes, in one place. Adding a type is one entry here, then one
 * `tx.events.record({ type, … })` in the unit of work of the change it describes: subscriptions,
 * `events(after:)` and the delivery worker know the new type from this list alone.
 *
 * `readScope` is what a caller needs to read the event (`events(after:)`, a webhook's event types):
 * the same scope that reads the entity's public side, since an event carries only ids and the new
 * state that scope already shows (a booking's instrument, period and status are its instrument's
 * public busy times; never who booked or why).
 *
 * A service request's progress and its charge are private to the requester and the province's staff, so their
 * events are not read with `catalog:read` (every researcher holds it): they need the province's own partner scope
 * `usage:record:<province>` (`{province}` below), which no person holds by role and which this province grants
 * only to the partner systems it runs with (kiosks, its finance and laboratory systems). They carry ids and the
 * status only: never who asked, what or for how much.
 *
 * A talent card's events are read with `card:verify` and carry what checking a number answers (tier, status, last
 * day) with the card's id and its number masked (`maskedCardNumber`, TF-2026-****01), never the whole number: a
 * provider checks the number a holder shows it, and a feed of every number would be the register of cards to check.
 */
/** Stands for the province's own partner scope (`usage:record:sichuan`…) in a `readScope`. */
const PROVINCE_PARTNER_SCOPE = 'usage:record:{province}';

/** An event about what only its parties and the province's staff see, read with the province's partner scope. */
const privateEvent = (entityType: string, description: string, notifiesRequester?: true): EventTypeDefinition =>
  ({ entityType, readScope: PROVINCE_PARTNER_SCOPE, description, ...(notifiesRequester ? { notifiesRequester } : {}) });

export const EVENT_TYPES = {
  'booking.requested': { entityType: 'booking', readScope: 'catalog:read', description: 'A researcher requested a booking.' },
  'booking.confirmed': { entityType: 'booking', readScope: 'catalog:read', description: 'An admin confirmed a booking.', notifiesRequester: true },
  'booking.rejected': { entityType: 'booking', readScope: 'catalog:read', description: 'An admin rejected a booking.', notifiesRequester: true },
  'booking.cancelled': { entityType: 'booking', readScope: 'catalog:read', description: 'A booking was cancelled before it started.', notifiesRequester: true },
  'booking.completed': { entityType: 'booking', readScope: 'catalog:read', description: 'A booking was used: an admin recorded it, or staff checked the user out.' },
  'booking.no_show': { entityType: 'booking', readScope: 'catalog:read', description: 'Nobody checked in to a confirmed booking within the grace period.', notifiesRequester: true },
  'talentCard.issued': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin issued a talent card (its number masked).' },
  'talentCard.renewed': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin extended a talent card (or changed its tier); its number masked.' },
  'talentCard.revoked': { entityType: 'talentcard', readScope: 'card:verify', description: 'An admin revoked a talent card (its number masked).' },
  'instrument.created': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument joined the registry.' },
  'instrument.updated': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument\'s public details changed.' },
  'instrument.retired': { entityType: 'instrument', readScope: 'catalog:read', description: 'An instrument left the registry for good.' },
  'lab.created': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab joined the registry.' },
  'lab.updated': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab\'s public details changed.' },
  'lab.retired': { entityType: 'lab', readScope: 'catalog:read', description: 'A lab closed.' },
  'serviceRequest.submitted': privateEvent('servicerequest', 'A researcher submitted a service request.'),
  'serviceRequest.quoted': privateEvent('servicerequest', 'Staff quoted a service request (or quoted it again).', true),
  'serviceRequest.accepted': privateEvent('servicerequest', 'The requester accepted the quote.'),
  'serviceRequest.declined': privateEvent('servicerequest', 'The requester declined the quote.'),
  'serviceRequest.samples_received': privateEvent('servicerequest', 'Staff received the samples.', true),
  'serviceRequest.in_progress': privateEvent('servicerequest', 'Staff started the work.'),
  'serviceRequest.report_issued': privateEvent('servicerequest', 'Staff issued the report (and the charge was written).', true),
  'serviceRequest.closed': privateEvent('servicerequest', 'Staff closed a service request after its report.'),
  'serviceRequest.cancelled': privateEvent('servicerequest', 'The requester or staff cancelled a service request before the work started.', true),
  'serviceRequest.rejected': privateEvent('servicerequest', 'Staff rejected a service request.', true),
  'charge.created': privateEvent('charge', 'A charge was written for a completed booking or an issued service report.'),
  'charge.credited': privateEvent('charge', 'An admin credited (refunded part of) a charge.'),
} as const satisfies Record<string, EventTypeDefinition>;

export interface EventTypeDefinition {
  /** The kind of entity the event is about (as in its global id). */
  readonly entityType: string;
  /** The scope a caller needs to read this event. */
  readonly readScope: string;
  readonly description: string;
  /**
   * The person the booking or service request belongs to is mailed about it (notifications/): changes made by the
   * province's staff or by time, and cancellations, which the person may want in writing.
   */
  readonly notifiesRequester?: true;
}

export type EventType = keyof typeof EVENT_TYPES;

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}

/** The event types the requester of a booking or service request is mailed about. */
export const REQUESTER_NOTIFICATION_TYPES = EVENT_TYPE_NAMES.filter((type) => (EVENT_TYPES[type] as EventTypeDefinition).notifiesRequester);

/** The scope that reads this event type in this province. */
export function readScopeOf(type: EventType, provinceKey: string): string {
  return EVENT_TYPES[type].readScope.replace('{province}', provinceKey);
}

/** The event types a caller holding these scopes may read in this province. */
export function readableEventTypes(scopes: ReadonlySet<string>, provinceKey: string): EventType[] {
  return EVENT_TYPE_NAMES.filter((type) => scopes.has(readScopeOf(type, provinceKey)));
}
