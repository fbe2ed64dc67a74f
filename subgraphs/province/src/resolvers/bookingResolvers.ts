import { encodeGlobalId } from '../../../../shared/src';
import type { BookingEntity } from '../entities';
import type { ProvinceContext } from '../ProvinceContext';

export const bookingResolvers = {
  id: (booking: BookingEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'booking', booking.id),
  instrument: (booking: BookingEntity, _: unknown, { loaders }: ProvinceContext) => loaders.instruments.load(booking.instrumentId),
  user: (booking: BookingEntity) => ({ __typename: 'User', id: booking.userId }),
  start: (booking: BookingEntity) => booking.startsAt,
  end: (booking: BookingEntity) => booking.endsAt,
};
