import { badUserInput, chinaMidnight, conflict, DAY_MS, formatChinaTime } from '../../../../shared/src';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { BookingStatus } from '../domain/registryTypes';

const MINUTE_MS = 60_000;
const SLOT_MINUTES = 30;
/** How far ahead a slot may be requested. */
export const BOOKING_HORIZON_DAYS = 180;

export function formatPeriod(start: Date, end: Date): string {
  return `${formatChinaTime(start)} to ${formatChinaTime(end)}`;
}

/**
 * The rules an instrument centre applies to a request, checked before the
 * database is asked (the database itself guarantees no overlap).
 */
export function checkRequestedSlot(instrument: InstrumentEntity, start: Date, end: Date, now: Date): void {
  if (instrument.status !== 'IN_SERVICE') {
    throw conflict(`This instrument is ${instrument.status === 'MAINTENANCE' ? 'under maintenance' : 'retired'} and cannot be booked now.`, { reason: 'NOT_IN_SERVICE' });
  }
  if (!instrument.openForSharing) {
    throw conflict('This instrument is not open for sharing; contact its institution directly.', { reason: 'NOT_SHARED' });
  }
  if (end.getTime() <= start.getTime()) throw badUserInput('end must be after start.', { argument: 'end' });
  if (start.getTime() <= now.getTime()) throw badUserInput('start must be in the future.', { argument: 'start' });
  if (start.getTime() > now.getTime() + BOOKING_HORIZON_DAYS * DAY_MS) {
    throw badUserInput(`Bookings open at most ${BOOKING_HORIZON_DAYS} days ahead.`, { argument: 'start' });
  }
  for (const [argument, instant] of [['start', start], ['end', end]] as const) {
    if (instant.getTime() % (SLOT_MINUTES * MINUTE_MS) !== 0) {
      throw badUserInput(`${argument} must fall on a whole or half hour, such as 09:00 or 09:30.`, { argument });
    }
  }
  const minutes = (end.getTime() - start.getTime()) / MINUTE_MS;
  if (minutes < instrument.minBookingMinutes || minutes > instrument.maxBookingMinutes) {
    throw badUserInput(
      `A booking of this instrument lasts ${instrument.minBookingMinutes}–${instrument.maxBookingMinutes} minutes; this one lasts ${minutes}.`,
      { argument: 'end' },
    );
  }
  // Opening hours are local (UTC+8) and a booking stays within one local day.
  const midnight = chinaMidnight(start).getTime();
  const startMinutes = (start.getTime() - midnight) / MINUTE_MS;
  const endMinutes = (end.getTime() - midnight) / MINUTE_MS;
  if (startMinutes < instrument.openFromHour * 60 || endMinutes > instrument.openToHour * 60) {
    throw badUserInput(
      `The instrument is open ${pad(instrument.openFromHour)}:00–${pad(instrument.openToHour)}:00 local time (UTC+8), on the same day; ${formatPeriod(start, end)} is outside.`,
      { argument: 'start' },
    );
  }
}

const pad = (hour: number) => String(hour).padStart(2, '0');

export type BookingAction = 'confirm' | 'reject' | 'cancel' | 'complete';
/** The moves only the owning province's admins make (the SDL's `@policy` says so); the person who asked may also cancel. */
export type AdminBookingAction = Exclude<BookingAction, 'cancel'>;

interface Transition {
  readonly from: readonly BookingStatus[];
  readonly to: BookingStatus;
  readonly when: 'beforeStart' | 'afterEnd' | 'any';
}

/** The booking workflow. Anything not listed here is refused. */
export const TRANSITIONS: Readonly<Record<BookingAction, Transition>> = {
  confirm: { from: ['REQUESTED'], to: 'CONFIRMED', when: 'beforeStart' },
  reject: { from: ['REQUESTED'], to: 'REJECTED', when: 'any' },
  cancel: { from: ['REQUESTED', 'CONFIRMED'], to: 'CANCELLED', when: 'beforeStart' },
  complete: { from: ['CONFIRMED'], to: 'COMPLETED', when: 'afterEnd' },
};

/** Refuses a transition the workflow does not allow from this state at this time. */
export function checkTransition(action: BookingAction, booking: { status: BookingStatus; startsAt: Date; endsAt: Date }, now: Date): Transition {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(booking.status)) {
    throw conflict(
      `A ${booking.status.toLowerCase()} booking cannot be ${PAST[action]}; only ${transition.from.map((s) => s.toLowerCase()).join(' or ')} bookings can.`,
      { status: booking.status },
    );
  }
  if (transition.when === 'beforeStart' && booking.startsAt.getTime() <= now.getTime()) {
    throw conflict(`The booking started at ${formatChinaTime(booking.startsAt)}; it can no longer be ${PAST[action]}.`, { status: booking.status });
  }
  if (transition.when === 'afterEnd' && booking.endsAt.getTime() > now.getTime()) {
    throw conflict(`The booking ends at ${formatChinaTime(booking.endsAt)}; it can be completed only after use.`, { status: booking.status });
  }
  return transition;
}

const PAST: Record<BookingAction, string> = { confirm: 'confirmed', reject: 'rejected', cancel: 'cancelled', complete: 'completed' };
