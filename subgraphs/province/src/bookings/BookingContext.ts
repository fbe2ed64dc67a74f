import { authorizedResolvers } from '../../../../shared/src';
import type { InstrumentLoaders } from '../instruments/instrumentLoaders';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { BookingLoaders } from './bookingLoaders';
import type { BookingService } from './BookingService';

/** What the booking resolvers read from a request (a booking names its instrument). */
export interface BookingContext extends ProvinceRequest {
  readonly services: { readonly bookings: BookingService };
  readonly loaders: BookingLoaders & Pick<InstrumentLoaders, 'instruments'>;
}

/** Resolvers of booking fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<BookingContext>();
