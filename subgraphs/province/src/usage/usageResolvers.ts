import type { ProvinceDefinition } from '../../../../shared/src';
import type { BookingEntity } from '../bookings/BookingEntity';
import { USAGE_RECORDER } from '../domain/provinceAdmin';
import { authorized, type UsageContext } from './UsageContext';

/** `<Province>Booking.rating`. */
export const bookingUsageResolvers = {
  rating: (booking: BookingEntity, _: unknown, { loaders }: UsageContext) => loaders.bookingRatings.load(booking.id),
};

type RecordArgs = { bookingId: string; at?: Date | null };

/** Check-in and check-out (this province's staff or its kiosk clients: `@policy`), and the requester's rating. */
export function usageMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`checkIn${P}Booking`]: authorized.policy(USAGE_RECORDER, (_: unknown, { bookingId, at }: RecordArgs, { viewer, services }) =>
      services.usage.checkIn(viewer, bookingId, at)),
    [`checkOut${P}Booking`]: authorized.policy(USAGE_RECORDER, (_: unknown, { bookingId, at }: RecordArgs, { viewer, services }) =>
      services.usage.checkOut(viewer, bookingId, at)),
    [`rate${P}Booking`]: authorized.authenticated((_: unknown, args: { bookingId: string; score: unknown; comment?: unknown }, { viewer, services }) =>
      services.usage.rate(viewer, args.bookingId, args)),
  };
}
