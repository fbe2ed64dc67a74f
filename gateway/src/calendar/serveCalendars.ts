import type { IncomingMessage, ServerResponse } from 'node:http';
import ical, { ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { GATEWAY_SECRET_HEADER, PROVINCE_TABLE, decodeGlobalId, type Logger, type RouteHandler } from '../../../shared/src';

export interface CalendarOptions {
  readonly logger: Logger;
  /** The platform subgraph, which exchanges a feed's secret for a minute's access token of its owner. */
  readonly platformUrl: string;
  /** Presented to the platform: only the gateway may exchange a feed's secret. */
  readonly gatewaySecret: string | undefined;
}

/** Where calendar apps fetch feeds (the platform's createCalendarFeed hands out the first, with its secret). */
export const BOOKINGS_FEED_PATH = '/calendar/bookings.ics';
export const INSTRUMENT_FEED_PATH = '/calendar/instrument.ics';

/** How far an instrument's feed looks back and ahead. */
const INSTRUMENT_FEED_PAST_DAYS = 7;
const INSTRUMENT_FEED_AHEAD_DAYS = 85;

interface FeedBooking {
  id: string;
  status: 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'COMPLETED';
  start: string;
  end: string;
  instrument: { name: string; nameZh: string; institution: string; location: string | null } | null;
}

const STATUS: Record<FeedBooking['status'], ICalEventStatus> = {
  REQUESTED: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  COMPLETED: ICalEventStatus.CONFIRMED,
  // Kept in the feed as cancelled, so calendar apps remove the event they showed.
  REJECTED: ICalEventStatus.CANCELLED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

/** The person's bookings in every province, in one request through the gateway. */
const BOOKINGS_QUERY = `query CalendarBookings { me { displayName ${PROVINCE_TABLE.map(({ key }) => `${key}Bookings { id status start end instrument { name nameZh institution location } }`).join(' ')} } }`;

const INSTRUMENT_QUERY = `query InstrumentCalendar($id: ID!, $from: DateTime!, $to: DateTime!) {
  instrument(id: $id) { id name ${PROVINCE_TABLE.map(({ typePrefix }) => `... on ${typePrefix}Instrument { nameZh institution location busyTimes(from: $from, to: $to) { start end } }`).join(' ')} }
}`;

/**
 * iCalendar (RFC 5545) feeds, served by the gateway because they gather both provinces:
 * - a person's bookings, at a secret, revocable address (`?feed=<secret>`). The secret is not a
 *   token: the gateway exchanges it with the platform (over its own channel, with GATEWAY_SECRET)
 *   for an access token of the person that lives a minute, and asks its own /graphql with it, so
 *   each province applies its usual rules to the person's own request;
 * - an instrument's public busy times (`?id=<global id>`), asked anonymously.
 */
export function serveCalendars(options: CalendarOptions): Readonly<Record<string, RouteHandler>> {
  return {
    [BOOKINGS_FEED_PATH]: async (req, res) => {
      const secret = new URL(req.url ?? '/', 'http://gateway').searchParams.get('feed') ?? '';
      if (!options.gatewaySecret) return sendText(res, 503, 'Calendar feeds need GATEWAY_SECRET, shared by the gateway and the platform.');
      const access = await graphqlCall<{ calendarFeedAccess: { token: string } | null }>(
        options.platformUrl, 'query FeedAccess($secret: String!) { calendarFeedAccess(secret: $secret) { token } }', { secret },
        { [GATEWAY_SECRET_HEADER]: options.gatewaySecret },
      );
      const token = access.data?.calendarFeedAccess?.token;
      if (!token) return sendText(res, 404, 'No calendar feed at this address: it was revoked, or never existed.');
      const answer = await graphqlCall<{ me: ({ displayName: string } & Record<string, FeedBooking[] | null>) | null }>(selfUrl(req), BOOKINGS_QUERY, {}, { authorization: `Bearer ${token}` });
      if (!answer.data?.me) return sendText(res, 503, 'Your bookings cannot be read right now; try again shortly.');
      if (answer.errors?.length) options.logger.warn({ errors: answer.errors.map((e) => e.message) }, 'calendar feed served without a province');
      const me = answer.data.me;
      const calendar = newCalendar(`${me.displayName}: bookings · 预约`);
      for (const { key } of PROVINCE_TABLE) {
        for (const booking of me[`${key}Bookings`] ?? []) {
          calendar.createEvent({
            id: `${booking.id}@shuangcheng`,
            start: new Date(booking.start),
            end: new Date(booking.end),
            summary: booking.instrument ? `${booking.instrument.name} · ${booking.instrument.nameZh}` : 'Instrument booking',
            location: booking.instrument ? [booking.instrument.location, booking.instrument.institution].filter(Boolean).join(', ') : null,
            description: `Booking ${booking.id}: ${booking.status}`,
            status: STATUS[booking.status],
          });
        }
      }
      sendCalendar(res, calendar);
    },
    [INSTRUMENT_FEED_PATH]: async (req, res) => {
      const id = new URL(req.url ?? '/', 'http://gateway').searchParams.get('id') ?? '';
      try {
        decodeGlobalId(id, 'instrument');
      } catch {
        return sendText(res, 400, 'Name an instrument by its global id: ?id=sc:instrument:… or ?id=cq:instrument:….');
      }
      const now = Date.now();
      const variables = { id, from: new Date(now - INSTRUMENT_FEED_PAST_DAYS * 86_400_000).toISOString(), to: new Date(now + INSTRUMENT_FEED_AHEAD_DAYS * 86_400_000).toISOString() };
      const answer = await graphqlCall<{ instrument: { name: string; nameZh: string; institution: string; location: string | null; busyTimes: { start: string; end: string }[] } | null }>(
        selfUrl(req), INSTRUMENT_QUERY, variables, {},
      );
      const instrument = answer.data?.instrument;
      if (!instrument) return sendText(res, answer.errors?.some((e) => e.extensions?.['code'] === 'NOT_FOUND') ? 404 : 503, `No calendar for ${id}: ${answer.errors?.[0]?.message ?? 'not found'}`);
      const calendar = newCalendar(`${instrument.name} · ${instrument.nameZh}: busy`);
      for (const [index, slot] of instrument.busyTimes.entries()) {
        calendar.createEvent({
          id: `${id}:${slot.start}:${index}@shuangcheng`,
          start: new Date(slot.start),
          end: new Date(slot.end),
          summary: 'Busy · 已预约',
          location: [instrument.location, instrument.institution].filter(Boolean).join(', '),
        });
      }
      sendCalendar(res, calendar);
    },
  };
}

function newCalendar(name: string): ICalCalendar {
  return ical({ name, prodId: { company: 'Shuangcheng', product: 'bookings', language: 'EN' }, ttl: 15 * 60 });
}

/** The gateway's own /graphql, on the listener this request arrived at: the feed asks exactly what a client would. */
function selfUrl(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address.replace(/^::ffff:/, '')}]`.replace(/^\[(\d+\.\d+\.\d+\.\d+)\]$/, '$1') : address;
  return `http://${host}:${req.socket.localPort}/graphql`;
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function graphqlCall<T>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as GraphQLAnswer<T>;
}

function sendCalendar(res: ServerResponse, calendar: ICalCalendar): void {
  res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-cache', 'x-content-type-options': 'nosniff' });
  res.end(calendar.toString());
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
}
