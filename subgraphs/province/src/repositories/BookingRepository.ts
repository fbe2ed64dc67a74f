import { In, type DataSource, type Repository } from 'typeorm';
import { BookingEntity } from '../entities/BookingEntity';
import { alignByKey, groupByKey } from '../../../../shared/src';

/** Read side of bookings; the booking workflow writes through its own service. */
export class BookingRepository {
  private readonly bookings: Repository<BookingEntity>;

  constructor(dataSource: DataSource) {
    this.bookings = dataSource.getRepository(BookingEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(BookingEntity | null)[]> {
    return alignByKey(ids, await this.bookings.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  /** Bookings of several people in one query, newest first. */
  async findByUserIds(userIds: readonly string[]): Promise<BookingEntity[][]> {
    const rows = await this.bookings.find({ where: { userId: In([...userIds]) }, order: { startsAt: 'DESC' } });
    return groupByKey(userIds, rows, (row) => row.userId);
  }
}
