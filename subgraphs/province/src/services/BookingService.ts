import { randomUUID } from 'node:crypto';
import { QueryFailedError, type DataSource } from 'typeorm';
import { z } from 'zod';
import {
  badUserInput, checkPageSize, conflict, cursorCodec, decodeOwnGlobalId, encodeGlobalId, forbidden, input, isProvinceAdmin, isUuid,
  notFound, parseInput, toConnection, type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import { freeSlots, type Period } from '../domain/availability';
import { checkRequestedSlot, checkTransition, formatPeriod, type BookingAction } from '../domain/bookingRules';
import type { BookingStatus } from '../domain/registryTypes';
import { BookingEntity, BookingEventEntity, InstrumentEntity } from '../entities';
import type { BookingRepository } from '../repositories/BookingRepository';
import type { InstrumentRepository } from '../repositories/InstrumentRepository';
import { recordAudit } from './AuditTrail';

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

/** PostgreSQL error codes the booking workflow turns into answers. */
const EXCLUSION_VIOLATION = '23P01';
const UNIQUE_VIOLATION = '23505';

const AVAILABILITY_MAX_DAYS = 31;

export interface BookingListArgs {
  status?: BookingStatus | null;
  instrumentId?: string | null;
  first: number;
  after?: string | null;
}

/** Position in the (start, id) order booking pages are cut from. */
const bookingCursor = cursorCodec<{ startsAt: Date; id: string }>(
  ({ startsAt, id }) => [startsAt.toISOString(), id],
  ([startsAt, id, ...rest]) =>
    startsAt !== undefined && id !== undefined && isUuid(id) && !Number.isNaN(Date.parse(startsAt)) && rest.length === 0
      ? { startsAt: new Date(startsAt), id }
      : null,
);

/**
 * Instrument booking, decided by the province that owns the instrument. The
 * database forbids overlapping active bookings (exclusion constraint), so two
 * requests racing for one slot cannot both win, whatever this code does.
 */
export class BookingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly province: ProvinceDefinition,
    private readonly bookings: BookingRepository,
    private readonly instruments: InstrumentRepository,
  ) {}

  async request(viewer: Viewer, raw: BookingRequest, now = new Date()): Promise<BookingEntity> {
    const request = parseInput(requestSchema, raw, 'booking');
    const instrumentId = decodeOwnGlobalId(request.instrumentId, 'instrument', this.province).localId;

    const replay = await this.bookings.findByIdempotencyKey(viewer.subject, request.idempotencyKey);
    if (replay) return this.sameRequestOrConflict(replay, instrumentId, request);

    const [instrument] = await this.instruments.findByIds([instrumentId]);
    if (!instrument) throw notFound(`No ${this.province.nameEn} instrument has the id ${request.instrumentId}.`, { argument: 'instrumentId' });
    checkRequestedSlot(instrument, request.start, request.end, now);

    const booking = Object.assign(new BookingEntity(), {
      id: randomUUID(),
      instrumentId,
      userId: viewer.subject,
      startsAt: request.start,
      endsAt: request.end,
      status: 'REQUESTED' as const,
      purpose: request.purpose,
      idempotencyKey: request.idempotencyKey,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        // Hold the instrument against a concurrent retire or maintenance change, and check it again as it is now.
        const current = await manager
          .getRepository(InstrumentEntity)
          .createQueryBuilder('i')
          .setLock('pessimistic_read')
          .where('i.id = :id', { id: instrumentId })
          .getOneOrFail();
        checkRequestedSlot(current, request.start, request.end, now);
        await manager.insert(BookingEntity, booking);
        await manager.insert(BookingEventEntity, { bookingId: booking.id, status: 'REQUESTED', actorId: viewer.subject, note: null });
        await recordAudit(manager, viewer, {
          action: 'booking.requested',
          entityType: 'booking',
          entityId: encodeGlobalId(this.province, 'booking', booking.id),
          details: { instrumentId: request.instrumentId, start: request.start.toISOString(), end: request.end.toISOString() },
        });
      });
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === EXCLUSION_VIOLATION) throw await this.overlapConflict(instrument, request.start, request.end);
      if (code === UNIQUE_VIOLATION) {
        // The same key raced itself: the other request won; answer with its booking.
        const winner = await this.bookings.findByIdempotencyKey(viewer.subject, request.idempotencyKey);
        if (winner) return this.sameRequestOrConflict(winner, instrumentId, request);
      }
      throw error;
    }
    return (await this.bookings.findByIds([booking.id]))[0]!;
  }

  /** Moves a booking along the workflow, checking who may and whether it may now. */
  async transition(viewer: Viewer, bookingId: string, action: BookingAction, note: string | null, now = new Date()): Promise<BookingEntity> {
    const id = decodeOwnGlobalId(bookingId, 'booking', this.province).localId;
    const cleanNote = parseInput(input.optionalText(500), note, 'note');
    return this.dataSource.transaction(async (manager) => {
      const booking = await this.bookings.lockForUpdate(manager, id);
      if (!booking) throw notFound(`No ${this.province.nameEn} booking has the id ${bookingId}.`, { argument: 'bookingId' });
      const admin = isProvinceAdmin(viewer, this.province.key);
      const transition = checkTransition(action, booking, now);
      if (!admin && !(transition.by === 'requesterOrAdmin' && booking.userId === viewer.subject)) {
        throw forbidden(
          transition.by === 'admin'
            ? `Only a ${this.province.nameEn} admin may ${action} a ${this.province.nameEn} booking.`
            : `Only the person who asked or a ${this.province.nameEn} admin may ${action} this booking.`,
        );
      }
      await manager.update(BookingEntity, { id }, { status: transition.to });
      await manager.insert(BookingEventEntity, { bookingId: id, status: transition.to, actorId: viewer.subject, note: cleanNote });
      await recordAudit(manager, viewer, {
        action: `booking.${transition.to.toLowerCase()}`,
        entityType: 'booking',
        entityId: encodeGlobalId(this.province, 'booking', id),
        details: { from: booking.status, to: transition.to, ...(cleanNote ? { note: cleanNote } : {}) },
      });
      return Object.assign(booking, { status: transition.to, updatedAt: now });
    });
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

  private sameRequestOrConflict(existing: BookingEntity, instrumentId: string, request: BookingRequest): BookingEntity {
    const same =
      existing.instrumentId === instrumentId &&
      existing.startsAt.getTime() === request.start.getTime() &&
      existing.endsAt.getTime() === request.end.getTime();
    if (!same) {
      throw conflict('This idempotencyKey was already used for a different booking request; use a new key for a new request.', {
        argument: 'idempotencyKey',
      });
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
