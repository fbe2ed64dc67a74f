import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import {
  countByKind, EXPENSIVE_FIELD_KINDS, rateLimitedError, type ExpensiveFieldCounts, type ExpensiveFieldKind, type OperationBudget, type Viewer,
} from '../../../shared/src';
import type { OperationLimits } from '../config';

/** Each kind of expensive field's budget: its Redis key prefix, and what its refusal says. */
const FIELD_BUDGETS: Readonly<Record<ExpensiveFieldKind, { readonly keyPrefix: string; readonly what: string; readonly variable: string }>> = {
  signIn: { keyPrefix: 'sign-ins', what: 'sign-ins (login, issueClientToken)', variable: 'SIGN_INS_PER_MINUTE' },
  booking: { keyPrefix: 'bookings', what: 'booking requests', variable: 'BOOKINGS_PER_MINUTE' },
  cardCheck: { keyPrefix: 'card-checks', what: 'card checks (verifyTalentCard)', variable: 'CARD_CHECKS_PER_MINUTE' },
};

const NO_FIELDS: ExpensiveFieldCounts = new Map();

/**
 * Operations per minute per caller: the token's subject when signed in, else
 * the client address (seen through the trusted load balancers, so that behind
 * one every anonymous caller has a count of their own). Every operation of a batch counts, so a batch of N
 * costs what N requests cost; and each sign-in, booking and card check is
 * also charged to the caller's budget for its kind, so aliases and batches
 * cannot multiply the work one request point buys. Counted in Redis when the
 * gateway has it (`REDIS_URL`), so the limits hold across every replica; in
 * memory otherwise, and while Redis is unreachable (then per process). 0
 * turns a limit off.
 */
export function createRateLimiter(limits: Pick<OperationLimits, 'requestsPerMinute' | 'expensiveFieldsPerMinute'>, redis?: Redis) {
  const operations = perMinute(limits.requestsPerMinute, redis, 'rate-limit', (points) =>
    `Too many requests: at most ${points} operations a minute, each operation of a batch counting (RATE_LIMIT_PER_MINUTE).`);
  const fieldBudgets = EXPENSIVE_FIELD_KINDS.map((kind) => {
    const { keyPrefix, what, variable } = FIELD_BUDGETS[kind];
    return { kind, budget: perMinute(limits.expensiveFieldsPerMinute[kind], redis, keyPrefix, (points) => `Too many ${what}: at most ${points} a minute (${variable}).`) };
  });
  const chargeFields = async (key: string, fields: ExpensiveFieldCounts) => {
    const counts = countByKind(fields);
    for (const { kind, budget } of fieldBudgets) await budget?.spend(key, counts[kind]);
  };
  return {
    /**
     * Charges a request to its caller before anything runs: `budget` is what the
     * operation limiter admitted (none: one operation, as for in-process calls).
     * Operations it could not read (persisted-query hashes) are charged their
     * expensive fields once resolved, through the budget.
     */
    async check(clientAddress: string, viewer: Viewer | null, budget?: OperationBudget): Promise<void> {
      const key = viewer ? `subject:${viewer.subject}` : `address:${clientAddress}`;
      await operations?.spend(key, budget?.operations ?? 1);
      await chargeFields(key, budget?.expensiveFields ?? NO_FIELDS);
      budget?.meterLateFields((late) => chargeFields(key, late));
    },
  };
}

/** `points` a minute per key; a refusal is HTTP 429 RATE_LIMITED with the message `refusal` gives. */
function perMinute(points: number, redis: Redis | undefined, keyPrefix: string, refusal: (points: number) => string) {
  if (points <= 0) return null;
  const limiter = createLimiter(points, redis, keyPrefix);
  return {
    async spend(key: string, count: number): Promise<void> {
      if (count <= 0) return;
      try {
        await limiter.consume(key, count);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw rateLimitedError(refusal(points), rejection.msBeforeNext);
      }
    },
  };
}

/**
 * `points` a minute (or per `duration` seconds) per key, counted in Redis when there is one, with this process's
 * memory as the fallback while it is unreachable.
 */
export function createLimiter(points: number, redis: Redis | undefined, keyPrefix = 'rate-limit', duration = 60): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory({ points, duration });
  if (!redis) return inMemory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: inMemory });
}
