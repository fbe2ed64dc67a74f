import { randomUUID } from 'node:crypto';
import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, entityReads, type EntityReads } from '../../../../shared/src';
import { BookingEntity } from '../bookings/BookingEntity';
import { BookingRatingEntity } from './BookingRatingEntity';
import { SuspensionEntity } from './SuspensionEntity';

/** Every query on actual use, no-shows, suspensions and ratings. */
export class UsageRepository {
  private readonly bookings: Repository<BookingEntity>;
  private readonly ratings: Repository<BookingRatingEntity>;
  private readonly suspensions: Repository<SuspensionEntity>;
  /** Every booking request asks for the requester's suspension: a prepared statement. */
  private readonly suspensionReads: EntityReads<SuspensionEntity>;

  constructor(manager: EntityManager) {
    this.bookings = manager.getRepository(BookingEntity);
    this.ratings = manager.getRepository(BookingRatingEntity);
    this.suspensions = manager.getRepository(SuspensionEntity);
    this.suspensionReads = entityReads(manager, SuspensionEntity);
  }

  async recordCheckIn(bookingId: string, at: Date): Promise<void> {
    await this.bookings.update({ id: bookingId }, { actualStart: at });
  }

  async recordCheckOut(bookingId: string, at: Date): Promise<void> {
    await this.bookings.update({ id: bookingId }, { actualEnd: at, status: 'COMPLETED' });
  }

  /**
   * Confirmed bookings nobody checked in to that started before `startedBefore` become NO_SHOW, at most `limit`
   * at a time (oldest first, rows another sweep holds skipped); returns them.
   */
  async markNoShows(startedBefore: Date, limit: number): Promise<Pick<BookingEntity, 'id' | 'userId' | 'instrumentId' | 'startsAt' | 'endsAt'>[]> {
    type Row = { id: string; user_id: string; instrument_id: string; starts_at: Date; ends_at: Date };
    const rows: Row[] = await this.bookings.query(
      `UPDATE bookings SET status = 'NO_SHOW', updated_at = now()
        WHERE id IN (SELECT id FROM bookings
                      WHERE status = 'CONFIRMED' AND actual_start IS NULL AND starts_at < $1
                      ORDER BY starts_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, user_id, instrument_id, starts_at, ends_at`,
      [startedBefore, limit],
    );
    // TypeORM returns [rows, count] for an UPDATE … RETURNING on pg.
    const returned = (Array.isArray(rows[0]) ? rows[0] : rows) as Row[];
    return returned.map((row) => ({ id: row.id, userId: row.user_id, instrumentId: row.instrument_id, startsAt: row.starts_at, endsAt: row.ends_at }));
  }

  /** No-shows of a person among bookings that started at or after `since`. */
  countNoShowsSince(userId: string, since: Date): Promise<number> {
    return this.bookings
      .createQueryBuilder('b')
      .where('b.user_id = :userId', { userId })
      .andWhere("b.status = 'NO_SHOW'")
      .andWhere('b.starts_at >= :since', { since })
      .getCount();
  }

  activeSuspension(userId: string, at: Date): Promise<SuspensionEntity | null> {
    return this.suspensionReads.first(
      `SELECT ${this.suspensionReads.columns.select('s')} FROM booking_suspensions s
        WHERE s.user_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2 ORDER BY s.ends_at DESC LIMIT 1`,
      [userId, at],
    );
  }

  async suspend(userId: string, startsAt: Date, endsAt: Date, noShows: number): Promise<void> {
    await this.suspensions.insert({ id: randomUUID(), userId, startsAt, endsAt, noShows });
  }

  /** Ratings of several bookings in one query; null where a booking is not rated. */
  async ratingsOf(bookingIds: readonly string[]): Promise<(BookingRatingEntity | null)[]> {
    return alignByKey(bookingIds, await this.ratings.findBy({ bookingId: In([...bookingIds]) }), (row) => row.bookingId);
  }

  async insertRating(rating: BookingRatingEntity): Promise<void> {
    await this.ratings.insert(rating);
  }
}
