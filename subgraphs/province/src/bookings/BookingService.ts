import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, checkPageSize, conflict, CUSTOMER_CATEGORIES, customerCategory, instantIdCursor, decodeOwnGlobalId, encodeGlobalId, forbidden, input, isProvinceAdmin, isUuid,
  notFound, parseInput, toConnection, type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import { freeSlots, type Period } from './availability';
import {
  checkOpenBookingCap, checkRequestedSlot, checkTransition, differingRequestFields, formatPeriod,
  type AdminBookingAction, type BookingAction, type RequestedBooking,
} from './bookingRules';
import type { CallerHeaders } from '../domain/askGateway';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { requesterCategory } from '../domain/requesterCategory';
import { channelOf } from '../domain/requestChannel';
import { systemActor } from '../domain/systemActor';
import { NO_BOOKING_POLICY, type BookingPolicy } from './bookingPolicy';
import type { BookingStatus } from '../domain/registryTypes';
import type { AuditRepository } from '../audit/AuditRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import { bookingOutboxEvent } from './bookingOutboxEvent';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import { isExclusionViolation } from '../persistence/databaseErrors';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { BookingEntity } from './BookingEntity';
import type { ChargeRepository } from '../charges/ChargeRepository';
import { chargeCompletedBooking } from '../charges/completedBookingCharge';
import type { OfferingRepository } from '../offerings/OfferingRepository';
import { priceOfPeriod, STANDARD_BAND, type PriceSnapshot } from '../offerings/pricing';
import type { BookingRepository } from './BookingRepository';

/** The repositories booking reads outside a transaction. */
export interface BookingRepositories {
  readonly bookings: BookingRepository;
  readonly instruments: Pick<InstrumentRepository, 'findByIds'>;
  readonly offerings: Pick<OfferingRepository, 'selfOperatedOf'>;
}

/** The repositories a booking change works with, in its transaction. */
export interface BookingTransaction {
  readonly bookings: BookingRepository;
  readonly instruments: Pick<InstrumentRepository, 'lockForShare' | 'findByIds'>;
  readonly charges: Pick<ChargeRepository, 'insertDraft'>;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
}

export interface BookingRequest {
  instrumentId: string;
  start: Date;
  end: Date;
  purpose: string;
  idempotencyKey: string;
  /** Default true: the requester operates the instrument (training rules apply); false: staff operate it for them. */
  selfOperated?: boolean | null;
}

const requestSchema = z.object({
  instrumentId: z.string(),
  start: z.date(),
  end: z.date(),
  purpose: input.text(5, 500),
  selfOperated: z.boolean().nullish().transform((value) => value ?? true),
  idempotencyKey: input.idempotencyKey(),
});

const AVAILABILITY_MAX_DAYS = 31;
/** A calendar app shows about a quarter ahead. */
const BUSY_TIMES_MAX_DAYS = 92;

export interface BookingListArgs {
  status?: BookingStatus | null;
  instrumentId?: string | null;
  first: number;
  after?: string | null;
}

/** Position in the (start, id) order booking pages are cut from. */
const bookingCursor = instantIdCursor('startsAt');

/** How much of the province one person's requests may hold (from the province's config). */
export interface BookingLimits {
  /** Open bookings (requested, or confirmed and not yet ended) one person may hold; 0 = no cap. */
  readonly maxOpenBookingsPerPerson: number;
}

/**
 * Instrument booking, decided by the province that owns the instrument. The
 * database forbids overlapping active bookings (exclusion constraint), so two
 * requests racing for one slot cannot both win, whatever this code does.
 */
export class BookingService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly repositories: BookingRepositories,
    private readonly unitOfWork: UnitOfWork<BookingTransaction>,
    private readonly limits: BookingLimits,
    private readonly policy: BookingPolicy = NO_BOOKING_POLICY,
  ) {}

  /** Who a confirmation by the instrument's own rules is recorded as. */
  private get rulesActor() {
    return systemActor(this.province, 'booking-rules', `${this.province.nameEn} booking rules`);
  }

  private get bookings() {
    return this.repositories.bookings;
  }

  async request(viewer: Viewer, raw: BookingRequest, caller: CallerHeaders, now = new Date()): Promise<BookingEntity> {
    const { idempotencyKey, ...parsed } = parseInput(requestSchema, raw, 'booking');
    const request: RequestedBooking = { ...parsed, instrumentId: decodeOwnGlobalId(parsed.instrumentId, 'instrument', this.province).localId };
    const { instrumentId } = request;

    const replay = await this.bookings.findByIdempotencyKey(viewer.subject, idempotencyKey);
    if (replay) return this.sameRequestOrConflict(replay, request);

    const [instrument] = await this.repositories.instruments.findByIds([instrumentId]);
    if (!instrument) throw this.unknownInstrument(parsed.instrumentId);
    checkRequestedSlot(instrument, request.start, request.end, now);
    const admission = await this.policy.admit({ viewer, instrument, start: request.start, end: request.end, selfOperated: request.selfOperated, now, caller });
    // Priced before the transaction: the price is the one on offer when asked, and reading it outside keeps the
    // lock (below) held no longer than before.
    const price = await this.priceSnapshot(viewer, instrument, request.start, request.end);

    const booking = Object.assign(new BookingEntity(), {
      id: randomUUID(),
      instrumentId,
      userId: viewer.subject,
      startsAt: request.start,
      endsAt: request.end,
      status: admission.autoConfirm ? ('CONFIRMED' as const) : ('REQUESTED' as const),
      purpose: request.purpose,
      idempotencyKey,
      selfOperated: request.selfOperated,
      // As the requester is now: the evaluation counts the booking by who asked when it was made.
      requesterCategory: requesterCategory(viewer, instrument.institution, this.province.key),
      requesterInstitution: viewer.institution,
      ...channelOf(viewer),
      ...price,
    });
    let earlier: BookingEntity | null;
    try {
      earlier = await this.unitOfWork.run(async (tx) => {
        // To the end of the transaction, one request of this person at a time while a cap counts what they hold
        // (two requests sent at once cannot both pass it), else one request per key: never two under one key.
        if (this.limits.maxOpenBookingsPerPerson > 0) await tx.bookings.lockRequester(viewer.subject);
        else await tx.bookings.lockRequest(viewer.subject, idempotencyKey);
        const replayed = await tx.bookings.findByIdempotencyKey(viewer.subject, idempotencyKey);
        if (replayed) return replayed;
        if (this.limits.maxOpenBookingsPerPerson > 0) {
          const open = await tx.bookings.countOpenOfUser(viewer.subject, now);
          checkOpenBookingCap(open, this.limits.maxOpenBookingsPerPerson, this.province.nameEn);
        }
        // Hold the instrument against a concurrent retire or maintenance change, and check it again as it is now.
        const current = await tx.instruments.lockForShare(instrumentId);
        if (!current) throw this.unknownInstrument(parsed.instrumentId);
        checkRequestedSlot(current, request.start, request.end, now);
        await tx.bookings.insert(booking);
        await tx.bookings.recordEvent(viewer, { bookingId: booking.id, status: 'REQUESTED', note: null });
        if (admission.autoConfirm) await tx.bookings.recordEvent(this.rulesActor, { bookingId: booking.id, status: 'CONFIRMED', note: admission.note });
        await tx.audit.record(viewer, {
          action: 'booking.requested',
          entityType: 'booking',
          entityId: encodeGlobalId(this.province, 'booking', booking.id),
          details: {
            instrumentId: parsed.instrumentId, start: request.start.toISOString(), end: request.end.toISOString(),
            ...(admission.autoConfirm ? { confirmedByRules: true } : {}),
          },
        });
        tx.events.record(bookingOutboxEvent(this.province, booking));
        return null;
      });
    } catch (error) {
      if (isExclusionViolation(error)) throw await this.overlapConflict(instrument, request.start, request.end);
      throw error;
    }
    // The same key committed while this request waited for its lock: a repeat, or a different request under an old key.
    if (earlier) return this.sameRequestOrConflict(earlier, request);
    return (await this.bookings.findByIds([booking.id]))[0]!;
  }

  /** An admin's decision on a booking: confirm, reject or complete it, when the workflow allows it now. */
  decide(admin: ProvinceAdmin, bookingId: string, action: AdminBookingAction, note: string | null, now = new Date()): Promise<BookingEntity> {
    return this.move(admin, bookingId, action, note, now, () => {});
  }

  /**
   * Cancels a booking: the person who asked may, and so may this province's admins. The person who asked,
   * cancelling after the instrument's cancellation deadline, has cancelled late: allowed, and recorded.
   */
  async cancel(viewer: Viewer, bookingId: string, reason: string | null, now = new Date()): Promise<BookingEntity> {
    const [found] = await this.bookings.findByIds([decodeOwnGlobalId(bookingId, 'booking', this.province).localId]);
    const deadlineMinutes = found ? await this.policy.cancellationDeadlineMinutes(found.instrumentId) : 0;
    return this.move(viewer, bookingId, 'cancel', reason, now, (booking) => {
      if (booking.userId !== viewer.subject && !isProvinceAdmin(viewer, this.province.key)) {
        throw forbidden(`Only the person who asked or a ${this.province.nameEn} admin may cancel this booking.`);
      }
      const late = booking.userId === viewer.subject && booking.startsAt.getTime() - now.getTime() < deadlineMinutes * 60_000;
      return late ? { lateCancellation: true } : {};
    });
  }

  /** Moves a booking along the workflow once it may move now and `mayAct` accepts the actor for this booking. */
  private move(
    viewer: Viewer,
    bookingId: string,
    action: BookingAction,
    note: string | null,
    now: Date,
    mayAct: (booking: BookingEntity) => Partial<Pick<BookingEntity, 'lateCancellation'>> | void,
  ): Promise<BookingEntity> {
    const id = decodeOwnGlobalId(bookingId, 'booking', this.province).localId;
    const cleanNote = parseInput(input.optionalText(500), note, 'note');
    return this.unitOfWork.run(async (tx) => {
      const booking = await tx.bookings.lockForUpdate(id);
      if (!booking) throw notFound(`No ${this.province.nameEn} booking has the id ${bookingId}.`, { argument: 'bookingId' });
      const transition = checkTransition(action, booking, now);
      const also = mayAct(booking) ?? {};
      await tx.bookings.updateStatus(id, transition.to, also);
      if (transition.to === 'COMPLETED') await chargeCompletedBooking(tx, this.province, viewer.subject, booking);
      await tx.bookings.recordEvent(viewer, { bookingId: id, status: transition.to, note: cleanNote });
      await tx.audit.record(viewer, {
        action: `booking.${transition.to.toLowerCase()}`,
        entityType: 'booking',
        entityId: encodeGlobalId(this.province, 'booking', id),
        details: { from: booking.status, to: transition.to, ...(cleanNote ? { note: cleanNote } : {}), ...also },
      });
      const moved = Object.assign(booking, { status: transition.to, updatedAt: now, ...also });
      tx.events.record(bookingOutboxEvent(this.province, moved));
      return moved;
    });
  }

  /**
   * What the booking costs the requester, fixed now: the instrument's self-operated offering priced for their
   * customer category, each half hour in its band; an instrument without one is priced at its hourly fee.
   */
  private async priceSnapshot(viewer: Viewer, instrument: InstrumentEntity, start: Date, end: Date) {
    const category = customerCategory(viewer, this.province.key);
    const offered = await this.repositories.offerings.selfOperatedOf(instrument.id);
    const prices = offered?.prices ?? CUSTOMER_CATEGORIES.map((each) => ({
      category: each, band: STANDARD_BAND, fromHour: null, toHour: null, amountFen: Math.round(instrument.hourlyFee * 100),
    }));
    const snapshot: PriceSnapshot | null = priceOfPeriod(prices, category, start, end);
    if (!snapshot) throw conflict(`This instrument has no price for your customer category (${category}) at that time; ask its centre.`, { reason: 'NO_PRICE', category });
    return { priceCategory: category, priceOfferingId: offered?.offering.id ?? null, priceLines: [...snapshot.lines], priceTotalFen: snapshot.totalFen };
  }

  /** A page of the province's bookings, by start time then id (for admins). */
  async list(args: BookingListArgs): Promise<Connection<BookingEntity> & { totalCount: () => Promise<number> }> {
    const first = checkPageSize(args.first);
    const filter = {
      ...(args.status ? { status: args.status } : {}),
      ...(args.instrumentId ? { instrumentId: decodeOwnGlobalId(args.instrumentId, 'instrument', this.province).localId } : {}),
    };
    const page = await this.bookings.findPage(filter, first, bookingCursor.decode(args.after));
    return { totalCount: page.totalCount, ...toConnection(page.rows, page.hasNextPage, bookingCursor.encode) };
  }

  /** Free periods of an instrument within its opening hours. */
  async availability(instrument: InstrumentEntity, from: Date, to: Date, now = new Date()): Promise<Period[]> {
    if (to.getTime() <= from.getTime()) throw badUserInput('to must be after from.', { argument: 'to' });
    if (to.getTime() - from.getTime() > AVAILABILITY_MAX_DAYS * 86_400_000) {
      throw badUserInput(`Ask for at most ${AVAILABILITY_MAX_DAYS} days at a time.`, { argument: 'to' });
    }
    if (instrument.status !== 'IN_SERVICE' || !instrument.openForSharing) return [];
    const taken = await this.bookings.findActiveOverlapping(instrument.id, from, to);
    return freeSlots(instrument, taken.map((b) => ({ start: b.startsAt, end: b.endsAt })), from, to, now);
  }

  /**
   * Requested and confirmed periods of an instrument: public, since availability's gaps show them
   * anyway; its calendar feed lists them. Who booked and why stay with the booking.
   */
  async busyTimes(instrument: InstrumentEntity, from: Date, to: Date): Promise<Period[]> {
    if (to.getTime() <= from.getTime()) throw badUserInput('to must be after from.', { argument: 'to' });
    if (to.getTime() - from.getTime() > BUSY_TIMES_MAX_DAYS * 86_400_000) {
      throw badUserInput(`Ask for at most ${BUSY_TIMES_MAX_DAYS} days at a time.`, { argument: 'to' });
    }
    const taken = await this.bookings.findActiveOverlapping(instrument.id, from, to);
    return taken.map((booking) => ({ start: booking.startsAt, end: booking.endsAt }));
  }

  private unknownInstrument(id: string) {
    return notFound(`No ${this.province.nameEn} instrument has the id ${id}.`, { argument: 'instrumentId' });
  }

  /** A repeated idempotency key answers the booking it made, when every argument is the same as the first time. */
  private sameRequestOrConflict(existing: BookingEntity, request: RequestedBooking): BookingEntity {
    const differing = differingRequestFields(existing, request);
    if (differing.length > 0) {
      throw conflict(
        `This idempotencyKey was already used for a different booking request: ${differing.join(', ')} ${differing.length === 1 ? 'differs' : 'differ'} from the first request. ` +
          'Send the first request again unchanged to get its booking, or use a new key for a new request.',
        { argument: 'idempotencyKey', differingFields: differing },
      );
    }
    return existing;
  }

  private async overlapConflict(instrument: InstrumentEntity, start: Date, end: Date) {
    const clashes = await this.bookings.findActiveOverlapping(instrument.id, start, end);
    const periods = clashes.map((b) => formatPeriod(b.startsAt, b.endsAt));
    return conflict(
      `The instrument is already booked ${periods.length ? `from ${periods.join(' and from ')}` : 'for an overlapping period'}; choose a free slot (see availability).`,
      { clashingPeriods: clashes.map((b) => ({ start: b.startsAt.toISOString(), end: b.endsAt.toISOString() })) },
    );
  }
}
