import type { ProvinceDefinition } from '../../../../shared/src';
import { requireResearcher, requireViewer } from '../domain/access';
import type { BookingAction } from '../domain/bookingRules';
import type { ProvinceContext } from '../ProvinceContext';
import type { BookingRequest } from '../services/BookingService';

type TransitionArgs = { bookingId: string; note?: string | null; reason?: string | null };

/** `book<P>Instrument` and the workflow mutations, named for the province. */
export function bookingMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  const transition = (action: BookingAction) => (_: unknown, args: TransitionArgs, context: ProvinceContext) =>
    context.services.bookings.transition(requireViewer(context, `${action} a booking`), args.bookingId, action, args.note ?? args.reason ?? null);
  return {
    [`book${P}Instrument`]: (_: unknown, args: BookingRequest, context: ProvinceContext) =>
      context.services.bookings.request(requireResearcher(context, `book a ${province.nameEn} instrument`), args),
    [`confirm${P}Booking`]: transition('confirm'),
    [`reject${P}Booking`]: transition('reject'),
    [`cancel${P}Booking`]: transition('cancel'),
    [`complete${P}Booking`]: transition('complete'),
  };
}
