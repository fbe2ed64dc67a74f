import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Viewer } from '../../../shared/src';

/**
 * Requests per minute per caller: the token's subject when signed in, else the
 * client address. Kept in memory (one gateway process); several gateway
 * replicas would swap in rate-limiter-flexible's Redis store to share counts.
 * 0 turns the limit off.
 */
export function createRateLimiter(requestsPerMinute: number) {
  const limiter = requestsPerMinute > 0 ? new RateLimiterMemory({ points: requestsPerMinute, duration: 60 }) : null;
  return {
    async check(req: IncomingMessage, viewer: Viewer | null): Promise<void> {
      if (!limiter) return;
      const key = viewer ? `subject:${viewer.subject}` : `address:${req.socket.remoteAddress ?? 'unknown'}`;
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new GraphQLError(`Too many requests: at most ${requestsPerMinute} a minute (RATE_LIMIT_PER_MINUTE). Retry in ${retryAfterSeconds} s.`, {
          extensions: {
            code: 'RATE_LIMITED',
            retryAfterSeconds,
            http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
          },
        });
      }
    },
  };
}
