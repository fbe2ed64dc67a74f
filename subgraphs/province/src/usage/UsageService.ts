import { z } from 'zod';
import {
  badUserInput, conflict, DAY_MS, decodeOwnGlobalId, encodeGlobalId, forbidden, formatChinaTime, input, notFound, parseInput,
  type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import type { BookingEntity } from '../bookings/BookingEntity';
import type { BookingRepository } from '../bookings/BookingRepository';
import { bookingOutboxEvent } from '../bookings/bookingOutboxEvent';
import { chargeCompletedBooking, type CompletedBookingChargeTransaction } from '../charges/completedBookingCharge';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { BookingRatingEntity } from './BookingRatingEntity';
import type { UsageRepository } from './UsageRepository';

/** The repositories recording use works with, in its transaction. */
export interface UsageTransaction extends CompletedBookingChargeTransaction {
  readonly usage: UsageRepository;
  readonly bookings: Pick<BookingRepository, 'lockForUpdate' | 'recordEvent' | 'eventsOf'>;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
}

/** When a booking not checked in to becomes a no-show, and what repeated no-shows cost (from the province's config). */
export interface NoShowRules {
  /** Minutes after a confirmed booking's start without a check-in before it is a no-show. */
  readonly graceMinutes: number;
  /** No-shows within `windowDays` that suspend self-booking; 0: never suspend. */
  readonly limit: number;
  readonly windowDays: number;
  readonly suspensionDays: number;
}

/** How early before its start a booking may be checked in to. */
const EARLY_CHECK_IN_MINUTES = 60;
/** A clock a little ahead of ours (a kiosk's) is not "in the future". */
const CLOCK_SKEW_MS = 60_000;
/** Bookings one sweep moves at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

const ratingSchema = z.object({ score: input.int(1, 5), comment: input.optionalText(1000) });

/**
 * Actual use of booked instruments: check-in and check-out by this province's staff or a kiosk client with
 * the province's `usage:record:<province>` scope, no-shows found by a sweeper, suspension after repeated
 * no-shows, and the requester's rating of a completed booking.
 */
export class UsageService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly usage: UsageRepository,
    private readonly unitOfWork: UnitOfWork<UsageTransaction>,
    private readonly noShows: NoShowRules,
  ) {}

  /** The person (or kiosk) at the instrument says its user arrived: the actual start. */
  checkIn(recorder: Viewer, bookingId: string, at: Date | null | undefined, now = new Date()): Promise<BookingEntity> {
    return this.record(recorder, bookingId, 'checked_in', async (booking, tx) => {
      const instant = this.instant(at, now);
      if (booking.status !== 'CONFIRMED' || booking.actualStart) {
        throw conflict(
          booking.actualStart
            ? `This booking was already checked in to at ${formatChinaTime(booking.actualStart)}.`
            : `A ${booking.status.toLowerCase()} booking cannot be checked in to; only confirmed ones can.`,
          { status: booking.status },
        );
      }
      if (instant.getTime() < booking.startsAt.getTime() - EARLY_CHECK_IN_MINUTES * 60_000 || instant.getTime() >= booking.endsAt.getTime()) {
        throw badUserInput(
          `A check-in is recorded from ${EARLY_CHECK_IN_MINUTES} minutes before the booking's start until its end (${formatChinaTime(booking.startsAt)} to ${formatChinaTime(booking.endsAt)}); ${formatChinaTime(instant)} is outside.`,
          { argument: 'at' },
        );
      }
      await tx.usage.recordCheckIn(booking.id, instant);
      await tx.bookings.recordEvent(recorder, { bookingId: booking.id, status: 'CONFIRMED', note: `Checked in at ${formatChinaTime(instant)}` });
      return Object.assign(booking, { actualStart: instant });
    });
  }

  /** The user left: the actual end; the booking is completed. */
  checkOut(recorder: Viewer, bookingId: string, at: Date | null | undefined, now = new Date()): Promise<BookingEntity> {
    return this.record(recorder, bookingId, 'checked_out', async (booking, tx) => {
      const instant = this.instant(at, now);
      if (booking.status !== 'CONFIRMED' || !booking.actualStart) {
        throw conflict(
          booking.status === 'CONFIRMED'
            ? 'This booking was not checked in to; record the check-in first.'
            : `A ${booking.status.toLowerCase()} booking cannot be checked out of; only confirmed, checked-in ones can.`,
          { status: booking.status },
        );
      }
      if (instant.getTime() <= booking.actualStart.getTime()) {
        throw badUserInput(`The check-out must come after the check-in at ${formatChinaTime(booking.actualStart)}.`, { argument: 'at' });
      }
      await tx.usage.recordCheckOut(booking.id, instant);
      await tx.bookings.recordEvent(recorder, { bookingId: booking.id, status: 'COMPLETED', note: `Checked out at ${formatChinaTime(instant)}` });
      await chargeCompletedBooking(tx, this.province, recorder.subject, booking);
      const completed = Object.assign(booking, { actualEnd: instant, status: 'COMPLETED' as const });
      tx.events.record(bookingOutboxEvent(this.province, completed));
      return completed;
    });
  }

  /** The requester rates their completed booking, once. */
  async rate(viewer: Viewer, bookingId: string, raw: { score: unknown; comment?: unknown }, now = new Date()): Promise<BookingEntity> {
    const { score, comment } = parseInput(ratingSchema, raw, 'rating');
    return this.record(viewer, bookingId, 'rated', async (booking, tx) => {
      if (booking.userId !== viewer.subject) throw forbidden('Only the person who made a booking may rate it.');
      if (booking.status !== 'COMPLETED') {
        throw conflict(`Only a completed booking can be rated; this one is ${booking.status.toLowerCase()}.`, { status: booking.status });
      }
      const [earlier] = await tx.usage.ratingsOf([booking.id]);
      if (earlier) throw conflict(`You rated this booking on ${formatChinaTime(earlier.ratedAt)}; a booking is rated once.`, { reason: 'ALREADY_RATED' });
      await tx.usage.insertRating(Object.assign(new BookingRatingEntity(), { bookingId: booking.id, userId: viewer.subject, score, comment, ratedAt: now }));
      return booking;
    }, { score });
  }

  /** A suspension of the person's self-booking in force at `at`. */
  async activeOf(userId: string, at: Date): Promise<{ endsAt: Date; noShows: number } | null> {
    return this.usage.activeSuspension(userId, at);
  }

  /**
   * Marks confirmed bookings nobody checked in to within the grace period as NO_SHOW, and suspends self-booking of
   * people who reached the limit within the window (unless already suspended). Returns how many it marked.
   */
  async sweepNoShows(sweeper: Viewer, now = new Date()): Promise<number> {
    return this.unitOfWork.run(async (tx) => {
      const marked = await tx.usage.markNoShows(new Date(now.getTime() - this.noShows.graceMinutes * 60_000), SWEEP_BATCH);
      for (const booking of marked) {
        await tx.bookings.recordEvent(sweeper, { bookingId: booking.id, status: 'NO_SHOW', note: `Not checked in within ${this.noShows.graceMinutes} minutes of the start` });
        await tx.audit.record(sweeper, { action: 'booking.no_show', entityType: 'booking', entityId: encodeGlobalId(this.province, 'booking', booking.id) });
        tx.events.record(bookingOutboxEvent(this.province, { ...booking, status: 'NO_SHOW' }));
      }
      if (this.noShows.limit === 0) return marked.length;
      for (const userId of new Set(marked.map((booking) => booking.userId))) {
        const count = await tx.usage.countNoShowsSince(userId, new Date(now.getTime() - this.noShows.windowDays * DAY_MS));
        if (count < this.noShows.limit || (await tx.usage.activeSuspension(userId, now))) continue;
        const until = new Date(now.getTime() + this.noShows.suspensionDays * DAY_MS);
        await tx.usage.suspend(userId, now, until, count);
        await tx.audit.record(sweeper, { action: 'booking.self_booking_suspended', entityType: 'user', entityId: userId, details: { noShows: count, until: until.toISOString() } });
      }
      return marked.length;
    });
  }

  ratingsOf(bookingIds: readonly string[]) {
    return this.usage.ratingsOf(bookingIds);
  }

  /** A recorded instant: the one given (not in the future), else now. */
  private instant(at: Date | null | undefined, now: Date): Date {
    if (at && at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badUserInput('at must not be in the future.', { argument: 'at' });
    return at ?? now;
  }

  /** Locks the booking, lets `change` check and write, and audits it, in one transaction. */
  private record(
    actor: Viewer,
    bookingId: string,
    action: string,
    change: (booking: BookingEntity, tx: UsageTransaction) => Promise<BookingEntity>,
    details: Record<string, unknown> = {},
  ): Promise<BookingEntity> {
    const id = decodeOwnGlobalId(bookingId, 'booking', this.province).localId;
    return this.unitOfWork.run(async (tx) => {
      const booking = await tx.bookings.lockForUpdate(id);
      if (!booking) throw notFound(`No ${this.province.nameEn} booking has the id ${bookingId}.`, { argument: 'bookingId' });
      const changed = await change(booking, tx);
      await tx.audit.record(actor, { action: `booking.${action}`, entityType: 'booking', entityId: bookingId, details });
      return changed;
    });
  }
}
