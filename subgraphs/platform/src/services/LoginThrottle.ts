import type { LoginThrottleConfig } from '../config';
import type { CounterKey, LoginThrottleRepository } from '../repositories/LoginThrottleRepository';

/** Which limit refused an attempt (see LoginThrottle). */
export type LoginLimit = CounterKey['scope'];

/**
 * Whether a sign-in attempt may go ahead. Admitted attempts are counted as
 * failures up front and forgiven on success, so a burst of parallel guesses
 * cannot all pass the check before the first failure is recorded.
 */
export type LoginAdmission =
  | { readonly admitted: true; succeeded(): Promise<void> }
  | { readonly admitted: false; readonly limitedBy: LoginLimit; readonly retryAfterSeconds: number };

const DAY_MS = 86_400_000;

/** Thrown inside the counting transaction to roll back what it counted. */
class Refusal {
  constructor(readonly limitedBy: LoginLimit, readonly windowEndsAt: Date) {}
}

/**
 * Slows password guessing without handing anyone a way to lock others out.
 * Failures count in fixed windows of `windowSeconds` that open at a counter's
 * first failure; a full counter refuses every attempt it covers, right
 * password or not, until its window ends. Three counters:
 *
 * - pair: one account from one address block (`maxFailuresPerAccountAddress`,
 *   5). Always applies. Guessing from one address locks that address out of
 *   that account and nobody else.
 * - account: one account from every address together (`maxFailuresPerAccount`,
 *   50), against guessing spread over many addresses.
 * - address: one address block over every account (`maxFailuresPerAddress`,
 *   20), against trying one password on many accounts.
 *
 * The two wide counters would let a botnet lock an owner out, so they skip a
 * known address: one the account signed in from successfully within
 * `knownAddressDays`. The owner at home, at work, or a partner system on its
 * own servers keeps signing in while the account is under attack elsewhere;
 * an attacker at such an address still gets only the pair's allowance. (A
 * device token would also cover an owner on an unfamiliar network, but needs
 * every client to keep one; a known address needs nothing from callers and
 * works the same for partner clients.)
 *
 * Counts live in the platform database (LoginThrottleRepository), so every
 * replica sees the same ones, and a refused attempt counts nowhere.
 */
export class LoginThrottle {
  constructor(
    private readonly counters: LoginThrottleRepository,
    private readonly limits: LoginThrottleConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `account` is `user:<normalised username>` or `client:<id>`; `address` the caller's address block (see addressBlock). */
  async admit(account: string, address: string): Promise<LoginAdmission> {
    const now = this.now();
    const windowEndsAt = new Date(now.getTime() + this.limits.windowSeconds * 1000);
    const knownSince = new Date(now.getTime() - this.limits.knownAddressDays * DAY_MS);
    const pair: CounterKey = { scope: 'pair', account, address };
    const wide: CounterKey[] = [
      { scope: 'account', account, address: '' },
      { scope: 'address', account: '', address },
    ];
    const limitOf: Record<LoginLimit, number> = {
      pair: this.limits.maxFailuresPerAccountAddress,
      account: this.limits.maxFailuresPerAccount,
      address: this.limits.maxFailuresPerAddress,
    };
    await this.counters.purgeExpired(now);
    let counted: CounterKey[];
    try {
      counted = await this.counters.counting(async (counters) => {
        const countOn = async (key: CounterKey) => {
          const outcome = await counters.count(key, limitOf[key.scope], now, windowEndsAt);
          if (!outcome.counted) throw new Refusal(key.scope, outcome.windowEndsAt);
          return outcome;
        };
        const { lastSuccessAt } = await countOn(pair);
        if (lastSuccessAt && lastSuccessAt > knownSince) return [pair];
        for (const key of wide) await countOn(key);
        return [pair, ...wide];
      });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const waitMs = error.windowEndsAt.getTime() - now.getTime();
      return { admitted: false, limitedBy: error.limitedBy, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    let settled = false;
    return {
      admitted: true,
      succeeded: async () => {
        if (settled) return;
        settled = true;
        const at = this.now();
        await this.counters.recordSuccess(pair, counted.slice(1), at, new Date(at.getTime() + this.limits.knownAddressDays * DAY_MS));
      },
    };
  }
}
