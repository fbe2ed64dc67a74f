import type { LoginThrottleConfig } from '../config';

/**
 * Whether a sign-in attempt may go ahead. Admitted attempts are counted as
 * failures up front and forgiven on success, so a burst of parallel guesses
 * cannot all pass the check before the first failure is recorded.
 */
export type LoginAdmission =
  | { readonly admitted: true; succeeded(): void }
  | { readonly admitted: false; readonly limitedBy: 'account' | 'address'; readonly retryAfterSeconds: number };

/** Most keys each counter remembers: a flood of made-up usernames cannot grow memory without bound. */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * Slows password guessing: at most `maxFailuresPerAccount` failed sign-ins per
 * account and `maxFailuresPerAddress` per client address in a window of
 * `windowSeconds` that starts at the first failure; then every attempt is
 * refused until the window ends, right password or not. A success clears the
 * account's count and forgives that attempt for the address.
 *
 * Counts live in this process. Several platform replicas would each count on
 * their own (N times the limit); they would share one store instead, e.g.
 * Redis with INCR and EXPIRE per key (rate-limiter-flexible does exactly this).
 */
export class LoginThrottle {
  private readonly accounts: FailureWindows;
  private readonly addresses: FailureWindows;

  constructor(limits: LoginThrottleConfig, now: () => number = Date.now, maxKeys = DEFAULT_MAX_KEYS) {
    const windowMs = limits.windowSeconds * 1000;
    this.accounts = new FailureWindows(limits.maxFailuresPerAccount, windowMs, now, maxKeys);
    this.addresses = new FailureWindows(limits.maxFailuresPerAddress, windowMs, now, maxKeys);
  }

  /** `account` is the normalised username (or `client:<id>`); `address` the caller's address block (see addressBlock). */
  admit(account: string, address: string): LoginAdmission {
    const accountWaitMs = this.accounts.blockedForMs(account);
    const addressWaitMs = this.addresses.blockedForMs(address);
    if (accountWaitMs > 0 || addressWaitMs > 0) {
      return {
        admitted: false,
        limitedBy: accountWaitMs >= addressWaitMs ? 'account' : 'address',
        retryAfterSeconds: Math.ceil(Math.max(accountWaitMs, addressWaitMs) / 1000),
      };
    }
    this.accounts.add(account);
    this.addresses.add(address);
    let settled = false;
    return {
      admitted: true,
      succeeded: () => {
        if (settled) return;
        settled = true;
        this.accounts.clear(account);
        this.addresses.forgiveOne(address);
      },
    };
  }
}

interface Window {
  count: number;
  resetsAt: number;
}

/** Failures per key in a fixed window that opens at the key's first failure. */
class FailureWindows {
  // A Map iterates in insertion order, so its first keys are the oldest windows.
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxKeys: number,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  blockedForMs(key: string): number {
    const window = this.current(key);
    return window && window.count >= this.limit ? window.resetsAt - this.now() : 0;
  }

  add(key: string): void {
    const window = this.current(key);
    if (window) {
      window.count += 1;
      return;
    }
    this.makeRoom();
    this.windows.set(key, { count: 1, resetsAt: this.now() + this.windowMs });
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  forgiveOne(key: string): void {
    const window = this.current(key);
    if (!window) return;
    window.count -= 1;
    if (window.count <= 0) this.windows.delete(key);
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Drops ended windows, then (only under a flood) the oldest ones. */
  private makeRoom(): void {
    if (this.windows.size < this.maxKeys) return;
    const now = this.now();
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
