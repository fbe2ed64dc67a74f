import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';

/**
 * Apollo's cache interface over the Redis client the gateway already holds for
 * its rate limits, so that every replica sees the persisted queries any of
 * them registered. Written here rather than through Keyv and its Redis store
 * (Apollo's suggestion): those would bring a second Redis client for three
 * one-line commands. `ttl` is in seconds; none (or null) keeps the entry until
 * Redis evicts it (the compose file runs it with `allkeys-lru`).
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', options.ttl);
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}
