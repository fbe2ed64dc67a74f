import { IsNull, type DataSource, type Repository } from 'typeorm';
import { CalendarFeedEntity } from '../entities/CalendarFeedEntity';

/** Every query on the calendar_feeds table. */
export class CalendarFeedRepository {
  private readonly feeds: Repository<CalendarFeedEntity>;

  constructor(dataSource: DataSource) {
    this.feeds = dataSource.getRepository(CalendarFeedEntity);
  }

  async insert(feed: Pick<CalendarFeedEntity, 'id' | 'userId' | 'tokenHash'>): Promise<CalendarFeedEntity> {
    await this.feeds.insert(feed);
    return (await this.feeds.findOneBy({ id: feed.id }))!;
  }

  findOfUser(userId: string): Promise<CalendarFeedEntity[]> {
    return this.feeds.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<CalendarFeedEntity | null> {
    return this.feeds.findOneBy({ id });
  }

  findActiveByHash(tokenHash: string): Promise<CalendarFeedEntity | null> {
    return this.feeds.findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  /** Revokes the user's feed (once: the first revocation's time stays); null when the user has no such feed. */
  async revoke(userId: string, id: string, at: Date): Promise<CalendarFeedEntity | null> {
    await this.feeds.update({ id, userId, revokedAt: IsNull() }, { revokedAt: at });
    return this.feeds.findOneBy({ id, userId });
  }
}
