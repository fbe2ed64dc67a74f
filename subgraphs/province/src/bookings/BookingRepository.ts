import { In, type EntityManager, type Repository } from 'typeorm';
import { entityInsert, entityReads, groupByKey, type EntityInsert, type EntityReads, type Viewer } from '../../../../shared/src';
import type { BookingStatus } from '../domain/registryTypes';
import { BookingEntity } from './BookingEntity';
import { BookingEventEntity } from './BookingEventEntity';
import { actorOf } from '../persistence/WorkflowEventColumns';

/** Statuses that hold a slot: the exclusion constraint applies to exactly these. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['REQUESTED', 'CONFIRMED'];

/** What a booking request writes; the database sets the rest (times, actual use, late cancellation). */
export const NEW_BOOKING_COLUMNS = [
  'id', 'instrumentId', 'userId', 'startsAt', 'endsAt', 'status', 'purpose', 'idempotencyKey', 'selfOperated', 'requesterCategory',
  'requesterInstitution', 'channel', 'channelClientId', 'priceCategory', 'priceOfferingId', 'priceLines', 'priceTotalFen',
] as const;
export type NewBooking = Pick<BookingEntity, (typeof NEW_BOOKING_COLUMNS)[number]>;

const EVENT_COLUMNS = ['bookingId', 'status', 'note', 'actorId', 'actorName'] as const;

/**
 * Every query on bookings and their history. A booking request's own reads and writes are prepared raw statements
 * (`entityReads`, `entityInsert`): the request path ran a dozen of TypeORM's builders, the largest share of its CPU.
 */
export class BookingRepository {
  private readonly bookings: Repository<BookingEntity>;
  private readonly events: Repository<BookingEventEntity>;
  /** Bookings by id (every booking a request reaches through the loader) as one prepared statement. */
  private readonly reads: EntityReads<BookingEntity>;
  private readonly inserts: EntityInsert<NewBooking>;
  private readonly eventInserts: EntityInsert<Pick<BookingEventEntity, (typeof EVENT_COLUMNS)[number]>>;

  constructor(private readonly manager: EntityManager) {
    this.bookings = manager.getRepository(BookingEntity);
    this.events = manager.getRepository(BookingEventEntity);
    this.reads = entityReads(manager, BookingEntity);
    this.inserts = entityInsert(manager, BookingEntity, NEW_BOOKING_COLUMNS);
    this.eventInserts = entityInsert(manager, BookingEventEntity, EVENT_COLUMNS);
  }

  findByIds(ids: readonly string[]): Promise<(BookingEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  /** Bookings of several people in one query, newest first. */
  async findByUserIds(userIds: readonly string[]): Promise<BookingEntity[][]> {
    const rows = await this.bookings.find({ where: { userId: In([...userIds]) }, order: { startsAt: 'DESC' } });
    return groupByKey(userIds, rows, (row) => row.userId);
  }

  /** Histories of several bookings in one query, oldest event first. */
  async eventsOf(bookingIds: readonly string[]): Promise<BookingEventEntity[][]> {
    const rows = await this.events.find({ where: { bookingId: In([...bookingIds]) }, order: { id: 'ASC' } });
    return groupByKey(bookingIds, rows, (row) => row.bookingId);
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<BookingEntity | null> {
    return this.reads.first(
      `SELECT ${this.reads.columns.select('b')} FROM bookings b WHERE b.user_id = $1 AND b.idempotency_key = $2`,
      [userId, idempotencyKey],
    );
  }

  /** Requested or confirmed bookings of an instrument overlapping [start, end). */
  findActiveOverlapping(instrumentId: string, start: Date, end: Date): Promise<BookingEntity[]> {
    return this.bookings
      .createQueryBuilder('b')
      .where('b.instrument_id = :instrumentId', { instrumentId })
      .andWhere('b.status IN (:...statuses)', { statuses: ACTIVE_STATUSES })
      .andWhere("tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(:start, :end, '[)')", { start, end })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  /** A page of bookings for admins, by start time then id. */
  async findPage(
    filter: { status?: BookingStatus; instrumentId?: string },
    first: number,
    after: { startsAt: Date; id: string } | null,
  ): Promise<{ rows: BookingEntity[]; hasNextPage: boolean; totalCount: () => Promise<number> }> {
    const filtered = () => {
      const query = this.bookings.createQueryBuilder('b');
      if (filter.status) query.andWhere('b.status = :status', { status: filter.status });
      if (filter.instrumentId) query.andWhere('b.instrument_id = :instrumentId', { instrumentId: filter.instrumentId });
      return query;
    };
    const page = filtered().orderBy('b.starts_at', 'ASC').addOrderBy('b.id', 'ASC').limit(first + 1);
    if (after) page.andWhere('(b.starts_at, b.id) > (:afterStart, :afterId)', { afterStart: after.startsAt, afterId: after.id });
    const rows = await page.getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount: () => filtered().getCount() };
  }

  /** Requested or confirmed bookings of an instrument that end after `now`, soonest first. */
  openOfInstrument(instrumentId: string, now: Date): Promise<Pick<BookingEntity, 'id' | 'startsAt' | 'status'>[]> {
    return this.bookings
      .createQueryBuilder('b')
      .select(['b.id', 'b.startsAt', 'b.status'])
      .where('b.instrument_id = :instrumentId', { instrumentId })
      .andWhere('b.status IN (:...statuses)', { statuses: ACTIVE_STATUSES })
      .andWhere('b.ends_at > :now', { now })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  /**
   * Queues one person's booking requests behind each other until this transaction ends (a transaction-scoped
   * advisory lock on their id): what they hold, counted after it, stays true until the new booking commits.
   */
  async lockRequester(userId: string): Promise<void> {
    await this.bookings.query("SELECT pg_advisory_xact_lock(hashtextextended('bookings.requester:' || $1, 0))", [userId]);
  }

  /**
   * Queues one person's requests under one idempotency key behind each other until this transaction ends: the
   * second finds what the first committed. Requests under other keys go on at once.
   */
  async lockRequest(userId: string, idempotencyKey: string): Promise<void> {
    await this.bookings.query("SELECT pg_advisory_xact_lock(hashtextextended('bookings.request:' || $1 || ':' || $2, 0))", [userId, idempotencyKey]);
  }

  /** How many bookings a person holds open: requested or confirmed, and not yet ended at `now`. */
  async countOpenOfUser(userId: string, now: Date): Promise<number> {
    const [row] = await this.manager.query<{ open: number }[]>(
      'SELECT count(*)::int AS open FROM bookings b WHERE b.user_id = $1 AND b.status = ANY ($2) AND b.ends_at > $3',
      [userId, ACTIVE_STATUSES, now],
    );
    return row!.open;
  }

  /** One booking, locked until the transaction ends, for a status change. */
  lockForUpdate(id: string): Promise<BookingEntity | null> {
    return this.bookings.createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne();
  }

  async insert(booking: NewBooking): Promise<void> {
    await this.inserts.insert([booking]);
  }

  async updateStatus(id: string, status: BookingStatus, also: Partial<Pick<BookingEntity, 'lateCancellation'>> = {}): Promise<void> {
    await this.bookings.update({ id }, { status, ...also });
  }

  /** One step of a booking's history: who moved it to which status, and why. */
  async recordEvent(viewer: Viewer, event: Pick<BookingEventEntity, 'bookingId' | 'status' | 'note'>): Promise<void> {
    // Never the subject for want of a name: researchers read this name, and a staff member's id is not for them.
    await this.eventInserts.insert([{ ...event, ...actorOf(viewer) }]);
  }
}
