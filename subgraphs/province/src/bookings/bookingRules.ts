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

/**
 * Refuses a request from a person who already holds `open` open bookings
 * (requested, or confirmed and not yet ended) in this province when that
 * reaches `cap`: unanswered requests still take their slots out of everyone
 * else's reach, so one person must not be able to hoard them. A cap of 0
 * is no cap.
 */
export function checkOpenBookingCap(open: number, cap: number, provinceName: string): void {
  if (cap === 0 || open < cap) return;
  throw conflict(
    `You already have ${open} open ${provinceName} booking${open === 1 ? '' : 's'} (requested, or confirmed and not yet ended), ` +
      `and one person may hold at most ${cap}. Cancel one you no longer need, or wait until one has ended or been rejected, then ask again.`,
    { reason: 'OPEN_BOOKING_LIMIT', limit: cap, open },
  );
}

/** What a booking request asks for, in the booking's own terms (the instrument's local id): everything but its idempotency key. */
export interface RequestedBooking {
  readonly instrumentId: string;
  readonly start: Date;
  readonly end: Date;
  readonly purpose: string;
  readonly selfOperated: boolean;
}

/** How each requested field is compared; the type makes a new field of the request need its own entry. */
const SAME_FIELD: { readonly [F in keyof RequestedBooking]: (stored: RequestedBooking[F], asked: RequestedBooking[F]) => boolean } = {
  instrumentId: (stored, asked) => stored === asked,
  start: (stored, asked) => stored.getTime() === asked.getTime(),
  end: (stored, asked) => stored.getTime() === asked.getTime(),
  purpose: (stored, asked) => stored === asked,
  selfOperated: (stored, asked) => stored === asked,
};

/**
 * The arguments in which a request differs from the booking its idempotency
 * key made first, in argument order. A key stands for one request: a repeat
 * that differs in anything is a new request under an old key, not a retry.
 */
export function differingRequestFields(
  booking: { instrumentId: string; startsAt: Date; endsAt: Date; purpose: string; selfOperated: boolean },
  request: RequestedBooking,
): (keyof RequestedBooking)[] {
  const stored: RequestedBooking = {
    instrumentId: booking.instrumentId, start: booking.startsAt, end: booking.endsAt, purpose: booking.purpose, selfOperated: booking.selfOperated,
  };
  const differs = <F extends keyof RequestedBooking>(field: F) => !SAME_FIELD[field](stored[field], request[field]);
  return (Object.keys(SAME_FIELD) as (keyof RequestedBooking)[]).filter(differs);
}

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
