import type { RequestHead } from '../http/RequestHead';
import { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitedError } from '../errors/rateLimitedError';
import type { Logger } from '../logging/createLogger';
import type { MetricsRegistry } from '../metrics/createMetricsRegistry';
import { TOKEN_REFUSAL_REASONS, type TokenRefusalReason } from './createTokenVerifier';

/** What a service does around token verification: throttle before it, count and log what it refused. */
export interface TokenGuard {
  /** Throws HTTP 429 `RATE_LIMITED` when the request's address has sent too many bad tokens lately; called before any verification work. */
  admit(req: RequestHead, requestId: string): Promise<void>;
  /** Counts a refused token by reason, logs it (sampled) and charges it to the request's address. */
  refused(req: RequestHead, requestId: string, reason: TokenRefusalReason): Promise<void>;
}

export interface TokenGuardOptions {
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  /** Bad tokens one address may send in a minute; after that its requests with a token are refused unverified until the minute ends. 0: no throttle. */
  readonly badTokensPerMinute: number;
  /** Where the counts are kept, given the limit; default this process's memory (the gateway counts in Redis when it has it). */
  readonly createStore?: (points: number) => RateLimiterAbstract;
  /** The address a request is counted and logged under. Default: the socket's peer. */
  readonly addressOf?: (req: RequestHead) => string;
  /** Requests that are never throttled (at a subgraph: the gateway's, which throttled its own callers). Still counted and logged. */
  readonly exempt?: (req: RequestHead) => boolean;
  /** Least time between two warn lines; refusals in between are counted in the next line's `unlogged`. Default 1 s. */
  readonly logEveryMs?: number;
}

const socketAddress = (req: RequestHead) => req.socket.remoteAddress ?? 'unknown';

/**
 * Refused tokens are counted (`auth_tokens_refused_total{reason}`) and logged at
 * most once a second, with the reason, request id and address but never the
 * token, so an attack is seen without flooding the logs. An address that keeps
 * sending bad tokens is throttled before verification, so it cannot make the
 * service parse and look up keys for it without end; requests without a token
 * cost no verification and pass.
 */
export function createTokenGuard(options: TokenGuardOptions): TokenGuard {
  const { logger, badTokensPerMinute, addressOf = socketAddress, exempt = () => false, logEveryMs = 1_000 } = options;
  const refusals = new Counter({
    name: 'auth_tokens_refused_total',
    help: 'Bearer tokens refused as not valid (HTTP 401), by reason.',
    labelNames: ['reason'] as const,
    registers: [options.metrics],
  });
  // Every reason from the start, so a rate over a reason that has not happened yet reads 0, not "no data".
  for (const reason of TOKEN_REFUSAL_REASONS) refusals.inc({ reason }, 0);
  const throttled = new Counter({
    name: 'auth_requests_throttled_total',
    help: 'Requests refused with HTTP 429 before their token was verified: their address had sent too many bad tokens.',
    registers: [options.metrics],
  });
  const store = badTokensPerMinute > 0 ? (options.createStore ?? memoryStore)(badTokensPerMinute) : null;

  let lastLogAt = -Infinity;
  let unlogged = 0;
  const warnSampled = (fields: Record<string, unknown>, message: string) => {
    const now = Date.now();
    if (now - lastLogAt < logEveryMs) {
      unlogged += 1;
      return;
    }
    logger.warn({ ...fields, unlogged }, message);
    lastLogAt = now;
    unlogged = 0;
  };

  return {
    async admit(req, requestId) {
      if (!store || exempt(req)) return;
      const address = addressOf(req);
      const counted = await store.get(address);
      if (!counted || counted.consumedPoints < badTokensPerMinute) return;
      throttled.inc();
      warnSampled({ requestId, address }, 'request refused unverified: too many bad tokens from this address');
      throw rateLimitedError(`Too many invalid tokens from this address: at most ${badTokensPerMinute} a minute (BAD_TOKENS_PER_MINUTE).`, counted.msBeforeNext);
    },
    async refused(req, requestId, reason) {
      refusals.inc({ reason });
      const address = addressOf(req);
      warnSampled({ reason, requestId, address }, 'token refused');
      if (!store || exempt(req)) return;
      await store.consume(address).catch((error: unknown) => {
        // Past the limit already: admit refuses the next one.
        if (!(error instanceof RateLimiterRes)) throw error;
      });
    },
  };
}

const memoryStore = (points: number): RateLimiterAbstract => new RateLimiterMemory({ points, duration: 60 });
