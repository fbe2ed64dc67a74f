import { Pool } from 'undici';

/** Where a request to a URL goes: the keep-alive pool of its origin, and the path (with query) on it. */
export interface PoolTarget {
  readonly pool: Pool;
  readonly path: string;
}

export interface OriginPools {
  /** The pool of `url`'s origin (made on first use) and its path; each URL is parsed once. */
  targetOf(url: string): PoolTarget;
  /** Closes every pool (waits for requests in flight). */
  close(): Promise<void>;
}

/**
 * One undici keep-alive pool per origin, for the handful of fixed URLs a service calls on every request (the
 * gateway its subgraphs, a province the gateway).
 */
export function originPools(options: Pool.Options): OriginPools {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, PoolTarget>();
  return {
    targetOf(url) {
      let target = targets.get(url);
      if (!target) {
        const parsed = new URL(url);
        let pool = pools.get(parsed.origin);
        if (!pool) pools.set(parsed.origin, (pool = new Pool(parsed.origin, options)));
        targets.set(url, (target = { pool, path: `${parsed.pathname}${parsed.search}` }));
      }
      return target;
    },
    async close() {
      const closing = [...pools.values()].map((pool) => pool.close());
      pools.clear();
      targets.clear();
      await Promise.all(closing);
    },
  };
}
