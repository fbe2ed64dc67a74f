import { ErrorsAreMissesCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { Redis } from 'ioredis';
import type { Logger } from '../../../shared/src';
import { RedisKeyValueCache } from './RedisKeyValueCache';

/** What several gateway replicas share through Redis; without `REDIS_URL`, nothing (each process keeps its own). */
export interface SharedState {
  /** The client the rate limiter counts with, or none for per-process counts. */
  readonly redis: Redis | undefined;
  /** Where automatic persisted queries are kept, or none for each process's own bounded cache. */
  readonly persistedQueries: KeyValueCache<string> | undefined;
  close(): Promise<void>;
}

/**
 * One Redis connection for the gateway's shared state. Redis is a help, not a
 * dependency: while it is unreachable, commands fail at once (no offline
 * queue), the rate limiter falls back to per-process counts, and a persisted
 * query that cannot be read is a miss (the client sends the text again).
 */
export function connectSharedState(redisUrl: string | undefined, logger: Logger): SharedState {
  if (!redisUrl) return { redis: undefined, persistedQueries: undefined, close: async () => {} };
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Keeps trying in the background, at most every 2 s.
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  });
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  redis.on('ready', () => {
    logger.info(state === 'down' ? 'redis reachable again: rate limits and persisted queries are shared again' : 'redis connected: rate limits and persisted queries are shared by every replica');
    state = 'up';
  });
  const lost = (reason: string) => {
    if (state !== 'down') logger.warn({ reason }, 'redis unreachable: rate limits are per process and persisted queries miss until it is back');
    state = 'down';
  };
  redis.on('close', () => lost('connection closed'));
  redis.on('error', (error: Error) => lost(error.message));
  return {
    redis,
    // No logger: the connection's own lines above say when Redis is away, not one line per missed query.
    persistedQueries: new ErrorsAreMissesCache(new RedisKeyValueCache(redis, 'apq:')),
    close: async () => {
      redis.disconnect();
    },
  };
}
