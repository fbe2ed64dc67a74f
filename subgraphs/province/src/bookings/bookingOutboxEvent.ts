import { encodeGlobalId, type ProvinceDefinition } from '../../../../shared/src';
import type { EventType } from '../events/eventTypes';
import type { BookingEntity } from './BookingEntity';

/**
 * The outbox event of a booking's new status (`booking.confirmed`, `booking.no_show`…), whoever moved it: an admin,
 * the requester, staff checking the user out, the no-show sweep. Only what the instrument's public busy times show.
 */
export function bookingOutboxEvent(province: ProvinceDefinition, booking: Pick<BookingEntity, 'id' | 'instrumentId' | 'startsAt' | 'endsAt' | 'status'>) {
  return {
    type: `booking.${booking.status.toLowerCase()}` as EventType,
    entityId: encodeGlobalId(province, 'booking', booking.id),
    state: {
      status: booking.status,
      instrumentId: encodeGlobalId(province, 'instrument', booking.instrumentId),
      start: booking.startsAt.toISOString(),
      end: booking.endsAt.toISOString(),
    },
  };
}
