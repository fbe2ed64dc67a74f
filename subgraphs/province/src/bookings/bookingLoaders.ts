import DataLoader from 'dataloader';
import type { BookingEntity } from './BookingEntity';
import type { BookingEventEntity } from './BookingEventEntity';
import type { BookingRepository } from './BookingRepository';

/** Per-request batching of booking reads. */
export function createBookingLoaders(bookings: BookingRepository) {
  return {
    bookings: new DataLoader<string, BookingEntity | null>((ids) => bookings.findByIds(ids)),
    bookingsByUser: new DataLoader<string, BookingEntity[]>((userIds) => bookings.findByUserIds(userIds)),
    bookingEvents: new DataLoader<string, BookingEventEntity[]>((bookingIds) => bookings.eventsOf(bookingIds)),
  };
}

export type BookingLoaders = ReturnType<typeof createBookingLoaders>;
