import { LoginThrottle, type LoginAdmission } from '../LoginThrottle';

const LIMITS = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowSeconds: 900 };

/** A throttle on a clock the test moves by hand. */
function throttleAt(start = 1_000_000, maxKeys?: number) {
  const clock = { now: start };
  const throttle = new LoginThrottle(LIMITS, () => clock.now, maxKeys);
  return { throttle, clock };
}

function refused(admission: LoginAdmission) {
  if (admission.admitted) throw new Error('expected the attempt to be refused');
  return admission;
}

/** `n` attempts that all fail (admitted, never told they succeeded). */
function fail(throttle: LoginThrottle, account: string, address: string, n: number) {
  for (let i = 0; i < n; i += 1) expect(throttle.admit(account, address).admitted).toBe(true);
}

describe('LoginThrottle', () => {
  it('refuses an account after its fifth failure until the window that began at the first one ends', () => {
    const { throttle, clock } = throttleAt();
    fail(throttle, 'ghost', '198.51.100.1', 1);
    clock.now += 60_000;
    fail(throttle, 'ghost', '198.51.100.2', 4);
    const admission = refused(throttle.admit('ghost', '198.51.100.3'));
    expect(admission).toEqual({ admitted: false, limitedBy: 'account', retryAfterSeconds: 840 });

    clock.now += 839_000;
    expect(refused(throttle.admit('ghost', '198.51.100.3')).retryAfterSeconds).toBe(1);
    clock.now += 1_000;
    expect(throttle.admit('ghost', '198.51.100.3').admitted).toBe(true);
  });

  it('rounds the wait up to whole seconds', () => {
    const { throttle, clock } = throttleAt();
    fail(throttle, 'ghost', '198.51.100.1', 5);
    clock.now += 899_001;
    expect(refused(throttle.admit('ghost', '198.51.100.1')).retryAfterSeconds).toBe(1);
  });

  it('does not count refused attempts: they do not extend the wait', () => {
    const { throttle, clock } = throttleAt();
    fail(throttle, 'ghost', '198.51.100.1', 5);
    for (let i = 0; i < 50; i += 1) refused(throttle.admit('ghost', `203.0.113.${i}`));
    clock.now += 900_000;
    fail(throttle, 'ghost', '198.51.100.1', 5);
  });

  it('clears the account count on success', () => {
    const { throttle } = throttleAt();
    fail(throttle, 'someone', '198.51.100.1', 4);
    const success = throttle.admit('someone', '198.51.100.1');
    if (!success.admitted) throw new Error('expected admission');
    success.succeeded();
    fail(throttle, 'someone', '198.51.100.1', 5);
    expect(refused(throttle.admit('someone', '198.51.100.1')).limitedBy).toBe('account');
  });

  it('refuses an address after twenty failures over any accounts, and only that address', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 20; i += 1) fail(throttle, `ghost-${i}`, '198.51.100.7', 1);
    expect(refused(throttle.admit('ghost-new', '198.51.100.7'))).toMatchObject({ limitedBy: 'address', retryAfterSeconds: 900 });
    expect(throttle.admit('ghost-new', '198.51.100.8').admitted).toBe(true);
  });

  it('forgives a successful attempt for the address, so people behind one NAT who sign in fine are not limited', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 100; i += 1) {
      const admission = throttle.admit(`person-${i}`, '198.51.100.9');
      if (!admission.admitted) throw new Error(`refused at ${i}`);
      admission.succeeded();
    }
    fail(throttle, 'ghost', '198.51.100.9', 5);
  });

  it('counts an attempt before its outcome, so a parallel burst gets only the allowed number through', () => {
    const { throttle } = throttleAt();
    const burst = Array.from({ length: 30 }, () => throttle.admit('target', '198.51.100.10'));
    expect(burst.filter((admission) => admission.admitted)).toHaveLength(5);
  });

  it('ignores a second succeeded() for the same attempt', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 19; i += 1) fail(throttle, `ghost-${i}`, '198.51.100.11', 1);
    const admission = throttle.admit('person', '198.51.100.11');
    if (!admission.admitted) throw new Error('expected admission');
    admission.succeeded();
    admission.succeeded();
    // 19 failures remain counted: one more failure reaches the limit of 20.
    fail(throttle, 'ghost-x', '198.51.100.11', 1);
    expect(refused(throttle.admit('ghost-y', '198.51.100.11')).limitedBy).toBe('address');
  });

  it('reports the longer wait when both the account and the address are limited', () => {
    const { throttle, clock } = throttleAt();
    for (let i = 0; i < 20; i += 1) fail(throttle, `ghost-${i}`, '198.51.100.12', 1);
    clock.now += 300_000;
    fail(throttle, 'target', '198.51.100.13', 5);
    expect(refused(throttle.admit('target', '198.51.100.12'))).toEqual({ admitted: false, limitedBy: 'account', retryAfterSeconds: 900 });
  });

  it('keeps at most maxKeys windows per counter, dropping ended ones first, then the oldest', () => {
    const { throttle, clock } = throttleAt(1_000_000, 3);
    fail(throttle, 'old', '198.51.100.20', 5);
    clock.now += 900_000;
    // "old" ended; these fill the counter without evicting anything that still counts.
    fail(throttle, 'a', '198.51.100.21', 5);
    fail(throttle, 'b', '198.51.100.22', 5);
    fail(throttle, 'c', '198.51.100.23', 1);
    expect(refused(throttle.admit('a', '198.51.100.24')).limitedBy).toBe('account');
    // A fourth live key evicts the oldest live one ("a"), which may then try again.
    fail(throttle, 'd', '198.51.100.25', 1);
    expect(throttle.admit('a', '198.51.100.26').admitted).toBe(true);
  });
});
