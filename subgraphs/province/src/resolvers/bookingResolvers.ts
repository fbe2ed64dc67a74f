import { decodeOwnGlobalId, encodeGlobalId, isUuid } from '../../../../shared/src';
import { requirePersonalAccess, requireProvinceAdmin } from '../domain/access';
import type { BookingEntity, BookingEventEntity } from '../entities';
import type { ProvinceContext } from '../ProvinceContext';
import type { BookingListArgs } from '../services/BookingService';

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

/** Registry fields about bookings: one for its requester or an admin, the full list for admins. */
export const bookingRegistryResolvers = {
  booking: async (_: unknown, { id }: { id: string }, context: ProvinceContext) => {
    const booking = await context.loaders.bookings.load(decodeOwnGlobalId(id, 'booking', context.province).localId);
    if (booking) requirePersonalAccess(context, booking.userId, 'this booking');
    return booking;
  },
  bookings: (_: unknown, args: BookingListArgs, context: ProvinceContext) => {
    requireProvinceAdmin(context, `list ${context.province.nameEn}'s bookings`);
    return context.services.bookings.list(args);
  },
};
