import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { forbidden, isUuid, notFound, type Viewer } from '../../../../shared/src';
import type { CalendarFeedEntity } from '../entities/CalendarFeedEntity';
import type { CalendarFeedRepository } from '../repositories/CalendarFeedRepository';
import type { UserRepository } from '../repositories/UserRepository';
import { claimsOf } from './SessionService';
import type { IssuedToken, TokenIssuer } from './TokenIssuer';

/** Where calendar apps fetch a feed: the gateway's route, with the feed's secret as its only parameter. */
export const CALENDAR_FEED_PATH = '/calendar/bookings.ics';

/**
 * Calendar feeds of people's bookings in both provinces. A feed's address carries a random secret
 * (not a bearer token: it opens nothing but this feed, and its owner revokes it at any time). When
 * a calendar app fetches it, the gateway exchanges the secret here, over its own authenticated
 * channel, for an access token of a minute (`feedTokens`) and reads the bookings through itself
 * with the person's own authority.
 */
export class CalendarFeedService {
  constructor(
    private readonly feeds: CalendarFeedRepository,
    private readonly users: UserRepository,
    private readonly feedTokens: TokenIssuer,
    private readonly baseUrl: string,
  ) {}

  async create(viewer: Viewer): Promise<{ feed: CalendarFeedEntity; url: string }> {
    const userId = this.person(viewer);
    const secret = randomBytes(32).toString('base64url');
    const feed = await this.feeds.insert({ id: randomUUID(), userId, tokenHash: hashSecret(secret) });
    const url = new URL(CALENDAR_FEED_PATH, this.baseUrl);
    url.searchParams.set('feed', secret);
    return { feed, url: url.toString() };
  }

  list(viewer: Viewer): Promise<CalendarFeedEntity[]> {
    return this.feeds.findOfUser(this.person(viewer));
  }

  async revoke(viewer: Viewer, id: string, now = new Date()): Promise<CalendarFeedEntity> {
    const userId = this.person(viewer);
    const existing = isUuid(id) ? await this.feeds.findById(id) : null;
    if (!existing) throw notFound(`No calendar feed has the id ${id}; see me { calendarFeeds }.`, { argument: 'id' });
    if (existing.userId !== userId) throw forbidden('Only the person a calendar feed belongs to may revoke it.');
    return (await this.feeds.revoke(userId, id, now))!;
  }

  /** For the gateway only: a minute's access token of the feed's owner, or null for a secret that opens no feed (unknown or revoked). */
  async exchange(secret: string): Promise<IssuedToken | null> {
    if (secret.length === 0 || secret.length > 100) return null;
    const feed = await this.feeds.findActiveByHash(hashSecret(secret));
    if (!feed) return null;
    const [user] = await this.users.findByIds([feed.userId]);
    if (!user || user.disabled) return null;
    return this.feedTokens.issue(claimsOf(user));
  }

  private person(viewer: Viewer): string {
    if (viewer.kind !== 'user') throw forbidden('Calendar feeds belong to people; sign in with your own account.');
    return viewer.subject;
  }
}

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
