import type { ProvinceDefinition } from '../../../../shared/src';
import { requireResearcher } from '../domain/access';
import type { AdminBookingAction } from './bookingRules';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './BookingContext';
import type { BookingRequest } from './BookingService';

type TransitionArgs = { bookingId: string; note?: string | null; reason?: string | null };

/** `book<P>Instrument` and the workflow mutations, named for the province. */
export function bookingMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  // confirm, reject and complete are `@policy` (this province's admins); cancel is `@authenticated`, and the service decides whose booking it is.
  const decide = (action: AdminBookingAction) =>
    authorized.policy(PROVINCE_ADMIN, (_: unknown, args: TransitionArgs, { viewer, services }) =>
      services.bookings.decide(viewer, args.bookingId, action, args.note ?? args.reason ?? null));
  return {
    [`book${P}Instrument`]: authorized.authenticated((_: unknown, args: BookingRequest, { viewer, services, authorization, requestId }) =>
      services.bookings.request(requireResearcher(viewer, `book a ${province.nameEn} instrument`), args, { authorization, requestId })),
    [`confirm${P}Booking`]: decide('confirm'),
    [`reject${P}Booking`]: decide('reject'),
    [`cancel${P}Booking`]: authorized.authenticated((_: unknown, args: TransitionArgs, { viewer, services }) =>
      services.bookings.cancel(viewer, args.bookingId, args.reason ?? null)),
    [`complete${P}Booking`]: decide('complete'),
  };
}
