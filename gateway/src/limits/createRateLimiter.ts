import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, type RequestHead, type Viewer } from '../../../shared/src';

/**
 * Requests per minute per caller: the token's subject when signed in, else the
 * client address. Counted in Redis when the gateway has it (`REDIS_URL`), so
 * the limit holds across every replica; in memory otherwise, and while Redis
 * is unreachable (then per process). 0 turns the limit off.
 */
export function createRateLimiter(requestsPerMinute: number, redis?: Redis) {
  const limiter = requestsPerMinute > 0 ? createLimiter(requestsPerMinute, redis) : null;
  return {
    async check(req: RequestHead, viewer: Viewer | null): Promise<void> {
      if (!limiter) return;
      const key = viewer ? `subject:${viewer.subject}` : `address:${req.socket.remoteAddress ?? 'unknown'}`;
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new GraphQLError(`Too many requests: at most ${requestsPerMinute} a minute (RATE_LIMIT_PER_MINUTE). Retry in ${retryAfterSeconds} s.`, {
          extensions: {
            code: ErrorCode.RATE_LIMITED,
            retryAfterSeconds,
            http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
          },
        });
      }
    },
  };
}

function createLimiter(points: number, redis: Redis | undefined): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory({ points, duration: 60 });
  if (!redis) return inMemory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rate-limit', points, duration: 60, insuranceLimiter: inMemory });
}
