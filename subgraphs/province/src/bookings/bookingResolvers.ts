import { decodeOwnGlobalId, encodeGlobalId, isUuid } from '../../../../shared/src';
import { authorized, requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { BookingEntity } from './BookingEntity';
import type { BookingEventEntity } from './BookingEventEntity';
import type { ProvinceContext } from '../ProvinceContext';
import type { BookingListArgs } from './BookingService';

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
  booking: authorized.authenticated(async (_: unknown, { id }: { id: string }, context) => {
    const booking = await context.loaders.bookings.load(decodeOwnGlobalId(id, 'booking', context.province).localId);
    if (booking) requirePersonalAccess(context, booking.userId, 'this booking');
    return booking;
  }),
  bookings: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: BookingListArgs, { services }) => services.bookings.list(args)),
};
