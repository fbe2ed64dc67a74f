import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Logger } from '../logging/createLogger';

/** The public keys tokens are checked against, by `kid`. */
export interface KeySet {
  /** The key under `kid`, or undefined when the set does not hold it. Never asks the network more than the options allow. */
  keyFor(kid: string): Promise<KeyObject | undefined>;
  /** False until the first key set has been loaded: a missing key then means "keys unavailable", not "unknown kid". */
  loaded(): boolean;
}

/** Where the keys come from: the platform's JWKS over HTTP, or keys the service holds itself (the platform's own). */
export type KeySource =
  | { readonly kind: 'remote'; readonly url: string }
  | { readonly kind: 'local'; readonly jwks: { readonly keys: readonly unknown[] } };

export interface RemoteKeySetOptions {
  /** Age after which the set is fetched again in the background, while in use. Default 5 minutes (the platform's JWKS max-age). */
  readonly refreshIntervalMs?: number;
  /** Least time between two fetches, whatever asks for them (an unknown kid, the refresh, a failed fetch). Default 30 s. */
  readonly minFetchIntervalMs?: number;
  /** Longest wait for the JWKS. Default 5 s. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  /** For tests: the clock. */
  readonly now?: () => number;
}

/**
 * Holds the last good JWKS whole, so that no token, however forged, can evict
 * or starve the keys that verify real ones:
 * - a `kid` the set lacks causes at most one fetch per `minFetchIntervalMs`,
 *   and every caller waiting meanwhile shares that one fetch; any other unknown
 *   kid is refused at once, with no network work;
 * - the set is refreshed in the background once it is older than
 *   `refreshIntervalMs` (on the next look-up: no timer to stop, and an idle
 *   process asks nobody), so a key the platform retires goes away;
 * - a failed or empty fetch keeps the last good set (a JWKS outage refuses no
 *   token the set can verify).
 *
 * Written here rather than taken from a library. jwks-rsa caches key by key and
 * spends one rate-limited look-up per unknown kid, so forged kids used up the
 * look-ups the real key needed once its cache entry expired. jose's
 * `createRemoteJWKSet` has the cooldown and the shared fetch, but once its
 * cache age passes it fetches before answering and fails verification when that
 * fetch fails, so an outage would drop the keys; it would also replace
 * jsonwebtoken's checks, which the verifier's tests pin down.
 */
export function createJwksKeySet(source: KeySource, options: RemoteKeySetOptions = {}): KeySet {
  if (source.kind === 'local') {
    // Static for the life of the process (the platform loads its keys at start).
    const keys = toKeyMap(source.jwks);
    return { keyFor: async (kid) => keys.get(kid), loaded: () => true };
  }
  const { refreshIntervalMs = 5 * 60_000, minFetchIntervalMs = 30_000, timeoutMs = 5_000, logger, now = Date.now } = options;
  let keys: Map<string, KeyObject> | undefined;
  let loadedAt = -Infinity;
  let fetchedAt = -Infinity;
  let inFlight: Promise<void> | undefined;

  /** One fetch at a time, at most one per interval; resolves when the set is as fresh as it will get now. */
  const refresh = (): Promise<void> => {
    if (inFlight) return inFlight;
    if (now() - fetchedAt < minFetchIntervalMs) return Promise.resolve();
    fetchedAt = now();
    inFlight = fetchKeys(source.url, timeoutMs)
      .then(
        (fetched) => {
          keys = fetched;
          loadedAt = now();
        },
        (error: Error) => {
          logger?.warn({ err: error.message, jwksUrl: source.url, keeping: keys ? keys.size : 0 }, 'JWKS fetch failed: keeping the last good keys');
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    async keyFor(kid) {
      if (!keys) await refresh();
      else if (now() - loadedAt >= refreshIntervalMs) void refresh();
      const known = keys?.get(kid);
      if (known) return known;
      // An unknown kid may be a key the platform just added: look once, shared by all, at most once per interval.
      await refresh();
      return keys?.get(kid);
    },
    loaded: () => keys !== undefined,
  };
}

async function fetchKeys(url: string, timeoutMs: number): Promise<Map<string, KeyObject>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const keys = toKeyMap(await response.json());
  if (keys.size === 0) throw new Error('the JWKS holds no usable signing key');
  return keys;
}

/** Signing keys with a `kid` that Node can import; any other entry is skipped, not fatal. */
function toKeyMap(jwks: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const entries = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries)) return keys;
  for (const entry of entries as (JsonWebKey & { kid?: unknown; use?: unknown })[]) {
    if (typeof entry?.kid !== 'string' || (entry.use !== undefined && entry.use !== 'sig')) continue;
    try {
      keys.set(entry.kid, createPublicKey({ key: entry, format: 'jwk' }));
    } catch {
      // A key type this Node cannot import verifies nothing here; the others still do.
    }
  }
  return keys;
}
