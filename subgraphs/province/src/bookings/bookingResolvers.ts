import { decodeOwnGlobalId, encodeGlobalId, isUuid, type ProvinceDefinition } from '../../../../shared/src';
import { mayIdentifyActor, requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { BookingStatus } from '../domain/registryTypes';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import { authorized, type BookingContext } from './BookingContext';
import type { BookingEntity } from './BookingEntity';
import type { BookingEventEntity } from './BookingEventEntity';
import type { BookingListArgs } from './BookingService';

export const bookingResolvers = {
  id: (booking: BookingEntity, _: unknown, { province }: BookingContext) => encodeGlobalId(province, 'booking', booking.id),
  instrument: (booking: BookingEntity, _: unknown, { loaders }: BookingContext) => loaders.instruments.load(booking.instrumentId),
  user: (booking: BookingEntity) => ({ __typename: 'User', id: booking.userId }),
  start: (booking: BookingEntity) => booking.startsAt,
  end: (booking: BookingEntity) => booking.endsAt,
  history: bookingHistory,
  priceSnapshot: (booking: BookingEntity) =>
    booking.priceCategory === null ? null : { category: booking.priceCategory, lines: booking.priceLines, totalFen: booking.priceTotalFen },
};

/** `actorName` is a column; the actor's account is null to those who may know only the name. */
export const bookingEventResolvers = {
  actor: (event: BookingEventEntity, _: unknown, context: BookingContext) =>
    isUuid(event.actorId) && mayIdentifyActor(context, event.actorId) ? { __typename: 'User', id: event.actorId } : null,
};

/** Requested, confirmed… with who and when, oldest first. */
export function bookingHistory(booking: BookingEntity, _: unknown, { loaders }: BookingContext) {
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

/** `<Province>Instrument.availability`: free periods within its opening hours. */
export const instrumentBookingResolvers = {
  availability: (instrument: InstrumentEntity, { from, to }: { from: Date; to: Date }, { services }: BookingContext) =>
    services.bookings.availability(instrument, from, to),
  busyTimes: (instrument: InstrumentEntity, { from, to }: { from: Date; to: Date }, { services }: BookingContext) =>
    services.bookings.busyTimes(instrument, from, to),
};

/** `User.<province>Bookings`: a person's bookings here, for that person and admins. */
export function userBookingResolvers(province: ProvinceDefinition) {
  return {
    [`${province.key}Bookings`]: authorized.authenticated(async (user: { id: string }, { status }: { status?: BookingStatus | null }, context) => {
      requirePersonalAccess(context, user.id, `this person's ${province.nameEn} bookings`);
      const bookings = await context.loaders.bookingsByUser.load(user.id);
      return status ? bookings.filter((booking) => booking.status === status) : bookings;
    }),
  };
}
