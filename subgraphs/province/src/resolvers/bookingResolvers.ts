import { badUserInput, decodeOwnGlobalId, encodeGlobalId, isUuid } from '../../../../shared/src';
import { requirePersonalAccess, requireProvinceAdmin } from '../domain/access';
import { checkPageSize } from '../domain/instrumentSearch';
import type { BookingStatus } from '../domain/registryTypes';

import type { BookingEntity, BookingEventEntity } from '../entities';
import type { ProvinceContext } from '../ProvinceContext';

export const bookingResolvers = {
  id: (booking: BookingEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'booking', booking.id),
  instrument: (booking: BookingEntity, _: unknown, { loaders }: ProvinceContext) => loaders.instruments.load(booking.instrumentId),
  user: (booking: BookingEntity) => ({ __typename: 'User', id: booking.userId }),
  start: (booking: BookingEntity) => booking.startsAt,
  end: (booking: BookingEntity) => booking.endsAt,
  history: bookingHistory,
};

export const bookingEventResolvers = {
  actor: (event: BookingEventEntity) => (isUuid(event.actorId) ? { __typename: 'User', id: event.actorId } : null),
};

/** Requested, confirmed… with who and when, oldest first. */
export function bookingHistory(booking: BookingEntity, _: unknown, { loaders }: ProvinceContext) {
  return loaders.bookingEvents.load(booking.id);
}

const cursorOf = (booking: BookingEntity) => Buffer.from(JSON.stringify([booking.startsAt.toISOString(), booking.id])).toString('base64url');

function decodeBookingCursor(after: string | null | undefined): { startsAt: Date; id: string } | null {
  if (after == null) return null;
  try {
    const [startsAt, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof startsAt === 'string' && typeof id === 'string' && isUuid(id) && !Number.isNaN(Date.parse(startsAt))) {
      return { startsAt: new Date(startsAt), id };
    }
  } catch {
    // fall through to the error below
  }
  throw badUserInput('after must be a cursor returned by this list (pageInfo.endCursor).', { argument: 'after' });
}

/** Registry fields about bookings: one for its requester or an admin, the full list for admins. */
export const bookingRegistryResolvers = {
  booking: async (_: unknown, { id }: { id: string }, context: ProvinceContext) => {
    const booking = await context.loaders.bookings.load(decodeOwnGlobalId(id, 'booking', context.province).localId);
    if (booking) requirePersonalAccess(context, booking.userId, 'this booking');
    return booking;
  },
  bookings: async (
    _: unknown,
    args: { status?: BookingStatus | null; instrumentId?: string | null; first: number; after?: string | null },
    context: ProvinceContext,
  ) => {
    requireProvinceAdmin(context, `list ${context.province.nameEn}'s bookings`);
    const first = checkPageSize(args.first);
    const filter = {
      ...(args.status ? { status: args.status } : {}),
      ...(args.instrumentId ? { instrumentId: decodeOwnGlobalId(args.instrumentId, 'instrument', context.province).localId } : {}),
    };
    const page = await context.repositories.bookings.findPage(filter, first, decodeBookingCursor(args.after));
    const edges = page.rows.map((node) => ({ cursor: cursorOf(node), node }));
    return { totalCount: page.totalCount, edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};
