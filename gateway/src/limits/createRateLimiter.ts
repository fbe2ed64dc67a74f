import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitedError, type Viewer } from '../../../shared/src';

/**
 * Requests per minute per caller: the token's subject when signed in, else the
 * client address (seen through the trusted load balancers, so that behind one
 * every anonymous caller has a count of their own). Counted in Redis when the gateway has it (`REDIS_URL`), so
 * the limit holds across every replica; in memory otherwise, and while Redis
 * is unreachable (then per process). 0 turns the limit off.
 */
export function createRateLimiter(requestsPerMinute: number, redis?: Redis) {
  const limiter = requestsPerMinute > 0 ? createLimiter(requestsPerMinute, redis) : null;
  return {
    async check(clientAddress: string, viewer: Viewer | null): Promise<void> {
      if (!limiter) return;
      const key = viewer ? `subject:${viewer.subject}` : `address:${clientAddress}`;
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw rateLimitedError(`Too many requests: at most ${requestsPerMinute} a minute (RATE_LIMIT_PER_MINUTE).`, rejection.msBeforeNext);
      }
    },
  };
}

/** `points` a minute per key, counted in Redis when there is one, with this process's memory as the fallback while it is unreachable. */
export function createLimiter(points: number, redis: Redis | undefined, keyPrefix = 'rate-limit'): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory({ points, duration: 60 });
  if (!redis) return inMemory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: 60, insuranceLimiter: inMemory });
}
