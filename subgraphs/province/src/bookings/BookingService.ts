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
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { BookingStatus } from '../domain/registryTypes';
import type { AuditRepository } from '../audit/AuditRepository';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import { isExclusionViolation } from '../persistence/databaseErrors';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { BookingEntity } from './BookingEntity';
import type { ChargeRepository } from '../charges/ChargeRepository';
import { snapshotLines } from '../charges/chargeRules';
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
}

export interface BookingRequest {
  instrumentId: string;
  start: Date;
  end: Date;
  purpose: string;
  idempotencyKey: string;
}

const requestSchema = z.object({
  instrumentId: z.string(),
  start: z.date(),
  end: z.date(),
  purpose: input.text(5, 500),
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,100}$/, { message: 'must be 8–100 letters, digits or . _ : - (a UUID works well)' }),
});

const AVAILABILITY_MAX_DAYS = 31;

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
  ) {}

  private get bookings() {
    return this.repositories.bookings;
  }

  async request(viewer: Viewer, raw: BookingRequest, now = new Date()): Promise<BookingEntity> {
    const { idempotencyKey, ...parsed } = parseInput(requestSchema, raw, 'booking');
    const request: RequestedBooking = { ...parsed, instrumentId: decodeOwnGlobalId(parsed.instrumentId, 'instrument', this.province).localId };
    const { instrumentId } = request;

    const replay = await this.bookings.findByIdempotencyKey(viewer.subject, idempotencyKey);
    if (replay) return this.sameRequestOrConflict(replay, request);

    const [instrument] = await this.repositories.instruments.findByIds([instrumentId]);
    if (!instrument) throw this.unknownInstrument(parsed.instrumentId);
    checkRequestedSlot(instrument, request.start, request.end, now);
    // Priced before the transaction: the price is the one on offer when asked, and reading it outside keeps the
    // person's lock (below) held no longer than before.
    const price = await this.priceSnapshot(viewer, instrument, request.start, request.end);

    const booking = Object.assign(new BookingEntity(), {
      id: randomUUID(),
      instrumentId,
      userId: viewer.subject,
      startsAt: request.start,
      endsAt: request.end,
      status: 'REQUESTED' as const,
      purpose: request.purpose,
      idempotencyKey,
      ...price,
    });
    let earlier: BookingEntity | null;
    try {
      earlier = await this.unitOfWork.run(async (tx) => {
        // One request of this person at a time, to the end of the transaction: two requests sent at once can
        // neither both pass the cap nor both use one key.
        await tx.bookings.lockRequester(viewer.subject);
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
        await tx.audit.record(viewer, {
          action: 'booking.requested',
          entityType: 'booking',
          entityId: encodeGlobalId(this.province, 'booking', booking.id),
          details: { instrumentId: parsed.instrumentId, start: request.start.toISOString(), end: request.end.toISOString() },
        });
        return null;
      });
    } catch (error) {
      if (isExclusionViolation(error)) throw await this.overlapConflict(instrument, request.start, request.end);
      throw error;
    }
    // The same key committed while this request waited for the person's lock: a repeat, or a different request under an old key.
    if (earlier) return this.sameRequestOrConflict(earlier, request);
    return (await this.bookings.findByIds([booking.id]))[0]!;
  }

  /** An admin's decision on a booking: confirm, reject or complete it, when the workflow allows it now. */
  decide(admin: ProvinceAdmin, bookingId: string, action: AdminBookingAction, note: string | null, now = new Date()): Promise<BookingEntity> {
    return this.move(admin, bookingId, action, note, now, () => {});
  }

  /** Cancels a booking: the person who asked may, and so may this province's admins. */
  cancel(viewer: Viewer, bookingId: string, reason: string | null, now = new Date()): Promise<BookingEntity> {
    return this.move(viewer, bookingId, 'cancel', reason, now, (booking) => {
      if (booking.userId !== viewer.subject && !isProvinceAdmin(viewer, this.province.key)) {
        throw forbidden(`Only the person who asked or a ${this.province.nameEn} admin may cancel this booking.`);
      }
    });
  }

  /** Moves a booking along the workflow once it may move now and `mayAct` accepts the actor for this booking. */
  private move(
    viewer: Viewer,
    bookingId: string,
    action: BookingAction,
    note: string | null,
    now: Date,
    mayAct: (booking: BookingEntity) => void,
  ): Promise<BookingEntity> {
    const id = decodeOwnGlobalId(bookingId, 'booking', this.province).localId;
    const cleanNote = parseInput(input.optionalText(500), note, 'note');
    return this.unitOfWork.run(async (tx) => {
      const booking = await tx.bookings.lockForUpdate(id);
      if (!booking) throw notFound(`No ${this.province.nameEn} booking has the id ${bookingId}.`, { argument: 'bookingId' });
      const transition = checkTransition(action, booking, now);
      mayAct(booking);
      await tx.bookings.updateStatus(id, transition.to);
      if (transition.to === 'COMPLETED') await this.charge(tx, viewer, booking);
      await tx.bookings.recordEvent(viewer, { bookingId: id, status: transition.to, note: cleanNote });
      await tx.audit.record(viewer, {
        action: `booking.${transition.to.toLowerCase()}`,
        entityType: 'booking',
        entityId: encodeGlobalId(this.province, 'booking', id),
        details: { from: booking.status, to: transition.to, ...(cleanNote ? { note: cleanNote } : {}) },
      });
      return Object.assign(booking, { status: transition.to, updatedAt: now });
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

  /**
   * The charge for a completed booking, from the price it recorded when made, in the completion's transaction.
   * A booking made before prices were recorded has none to charge from, and gets no charge.
   */
  private async charge(tx: BookingTransaction, actor: Viewer, booking: BookingEntity): Promise<void> {
    if (booking.priceCategory === null || booking.priceLines === null || booking.priceTotalFen === null) return;
    const [instrument] = await tx.instruments.findByIds([booking.instrumentId]);
    const [events] = await tx.bookings.eventsOf([booking.id]);
    const snapshot = { category: booking.priceCategory, lines: booking.priceLines, totalFen: booking.priceTotalFen };
    await tx.charges.insertDraft({
      payerId: booking.userId,
      payerName: events?.[0]?.actorName ?? 'Unnamed user',
      category: booking.priceCategory,
      source: 'BOOKING',
      bookingId: booking.id,
      serviceRequestId: null,
      offeringKind: 'SELF_OPERATED',
      lines: snapshotLines(`Self-operated use of ${instrument?.name ?? 'an instrument'}`, snapshot, 'HOUR'),
    }, actor.subject);
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
