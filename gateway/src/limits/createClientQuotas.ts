import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { channelClientOf, rateLimitedError, type MetricsRegistry, type Viewer } from '../../../shared/src';
import { createLimiter } from './createRateLimiter';

/** Distinct clients the metrics name; later ones are counted as `other`, so a flood of clients cannot grow the series without end. */
const MAX_CLIENT_LABELS = 100;

const PERIODS = {
  minute: { seconds: 60, keyPrefix: 'client-minute' },
  day: { seconds: 86_400, keyPrefix: 'client-day' },
} as const;
type Period = keyof typeof PERIODS;

/**
 * Each partner client's own quota, requests a minute and a day, set at its registration and carried in its token
 * (`quota`, so the gateway needs no look-up): a request is charged its operations (a batch of N costs N) to its
 * client, in Redis when the gateway has it (`REDIS_URL`) so the quota holds across every replica. Over it: HTTP
 * 429, RATE_LIMITED, with `Retry-After`. A changed quota applies to the client's next token (minutes).
 * Counted by client in `gateway_client_operations_total{client, outcome}`.
 */
export function createClientQuotas(metrics: MetricsRegistry, redis?: Redis) {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterFor = (period: Period, points: number) => {
    const key = `${period}:${points}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      // One limiter per distinct quota: its points are fixed, and the keys (client ids) are shared by none other.
      limiter = createLimiter(points, redis, `${PERIODS[period].keyPrefix}-${points}`, PERIODS[period].seconds);
      limiters.set(key, limiter);
    }
    return limiter;
  };
  const operations = new Counter({
    name: 'gateway_client_operations_total',
    help: 'Operations partner clients sent, by client (the first 100 seen by this process; later ones as "other") and outcome (admitted, over_quota).',
    labelNames: ['client', 'outcome'] as const,
    registers: [metrics],
  });
  const labelled = new Set<string>();
  const labelOf = (clientId: string) => {
    if (labelled.has(clientId)) return clientId;
    if (labelled.size >= MAX_CLIENT_LABELS) return 'other';
    labelled.add(clientId);
    return clientId;
  };

  const spend = async (period: Period, points: number, clientId: string, count: number) => {
    try {
      await limiterFor(period, points).consume(clientId, count);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw rateLimitedError(`Partner client ${clientId} is over its quota of ${points} requests a ${period}, set when it was registered; ask the platform for a larger one.`, rejection.msBeforeNext);
    }
  };

  return {
    /** Charges a request of `count` operations to its partner client (its own or one acting for a person); people and anonymous callers pass. */
    async charge(viewer: Viewer | null, count: number): Promise<void> {
      const clientId = channelClientOf(viewer);
      if (clientId === null || !viewer?.quota || count <= 0) return;
      const client = labelOf(clientId);
      try {
        // The day first: when both are spent, the longer wait is the one worth telling.
        await spend('day', viewer.quota.perDay, clientId, count);
        await spend('minute', viewer.quota.perMinute, clientId, count);
      } catch (error) {
        operations.inc({ client, outcome: 'over_quota' }, count);
        throw error;
      }
      operations.inc({ client, outcome: 'admitted' }, count);
    },
  };
}
