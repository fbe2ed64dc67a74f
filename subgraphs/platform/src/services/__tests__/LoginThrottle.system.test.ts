/**
 * @testSystem in-process
 *
 * The throttle on the file's own platform database, on a clock the test moves
 * by hand; each test uses its own accounts and TEST-NET addresses.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testSystem } from '../../../../../test/support';
import { createPlatformDataSource } from '../../platformDataSource';
import { LoginThrottleRepository } from '../../repositories/LoginThrottleRepository';
import { LoginThrottle, type LoginAdmission } from '../LoginThrottle';

const LIMITS = { maxFailuresPerAccountAddress: 5, maxFailuresPerAccount: 50, maxFailuresPerAddress: 20, windowSeconds: 900, knownAddressDays: 30 };
const DAY_MS = 86_400_000;
const RUN = randomBytes(3).toString('hex');
let sequence = 0;
const fresh = (what: string) => `${what}.${RUN}.${++sequence}`;
/** One address per call, never repeated in this file: 10.x.y.z from the sequence. */
const freshAddress = () => {
  const n = ++sequence;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

const replicas: DataSource[] = [];

/** A platform replica's throttle (its own connection pool) on a clock the test moves by hand. */
async function replica(clock: { now: number }) {
  const dataSource = createPlatformDataSource(testSystem().databaseUrls.platform, 4);
  await dataSource.initialize();
  replicas.push(dataSource);
  return new LoginThrottle(new LoginThrottleRepository(dataSource), LIMITS, () => new Date(clock.now));
}

async function throttleAt(start = Date.UTC(2031, 0, 1)) {
  const clock = { now: start };
  return { throttle: await replica(clock), clock };
}

afterAll(() => Promise.all(replicas.map((dataSource) => dataSource.destroy())));

function refused(admission: LoginAdmission) {
  if (admission.admitted) throw new Error('expected the attempt to be refused');
  return admission;
}

async function admitted(throttle: LoginThrottle, account: string, address: string) {
  const admission = await throttle.admit(account, address);
  if (!admission.admitted) throw new Error(`expected admission, got ${JSON.stringify(admission)}`);
  return admission;
}

/** `n` attempts that all fail (admitted, never told they succeeded). */
async function fail(throttle: LoginThrottle, account: string, address: string, n: number) {
  for (let i = 0; i < n; i += 1) await admitted(throttle, account, address);
}

/** A successful sign-in from `address`, which makes it known to the account. */
async function succeed(throttle: LoginThrottle, account: string, address: string) {
  await (await admitted(throttle, account, address)).succeeded();
}

describe('LoginThrottle, per account and address', () => {
  it('refuses a pair after its fifth failure until the window that began at the first one ends', async () => {
    const { throttle, clock } = await throttleAt();
    const [account, address] = [fresh('ghost'), freshAddress()];
    await fail(throttle, account, address, 1);
    clock.now += 60_000;
    await fail(throttle, account, address, 4);
    expect(await throttle.admit(account, address)).toEqual({ admitted: false, limitedBy: 'pair', retryAfterSeconds: 840 });

    clock.now += 839_500;
    expect(refused(await throttle.admit(account, address)).retryAfterSeconds).toBe(1);
    clock.now += 500;
    await fail(throttle, account, address, 5);
  });

  it('locks only that pair: the account from another address and another account from that address go on', async () => {
    const { throttle } = await throttleAt();
    const [account, attacker, owner] = [fresh('target'), freshAddress(), freshAddress()];
    await fail(throttle, account, attacker, 5);
    expect(refused(await throttle.admit(account, attacker)).limitedBy).toBe('pair');
    await succeed(throttle, account, owner);
    await fail(throttle, fresh('neighbour'), attacker, 1);
  });

  it('does not count refused attempts anywhere: hammering a locked pair fills no wider count', async () => {
    const { throttle } = await throttleAt();
    const [account, attacker] = [fresh('target'), freshAddress()];
    await fail(throttle, account, attacker, 5);
    for (let i = 0; i < 60; i += 1) refused(await throttle.admit(account, attacker));
    // 5 of the account's 50 and of the address's 20 are used: 45 and 15 more fill them exactly.
    for (let i = 0; i < 9; i += 1) await fail(throttle, account, freshAddress(), 5);
    expect(refused(await throttle.admit(account, freshAddress())).limitedBy).toBe('account');
    for (let i = 0; i < 15; i += 1) await fail(throttle, fresh('other'), attacker, 1);
    expect(refused(await throttle.admit(fresh('other'), attacker)).limitedBy).toBe('address');
  });

  it('clears the pair on success and takes back only that attempt from the wide counts', async () => {
    const { throttle } = await throttleAt();
    const [account, home] = [fresh('someone'), freshAddress()];
    await fail(throttle, account, home, 4);
    await succeed(throttle, account, home);
    await fail(throttle, account, home, 5);
    expect(refused(await throttle.admit(account, home)).limitedBy).toBe('pair');
    // The account keeps the 4 failures from before the success: 46 from elsewhere fill its 50.
    for (let i = 0; i < 9; i += 1) await fail(throttle, account, freshAddress(), 5);
    await fail(throttle, account, freshAddress(), 1);
    expect(refused(await throttle.admit(account, freshAddress())).limitedBy).toBe('account');
  });

  it('counts an attempt before its outcome, so a parallel burst on two replicas gets only the allowed number through', async () => {
    const clock = { now: Date.UTC(2031, 0, 1) };
    const [one, two] = [await replica(clock), await replica(clock)];
    const [account, address] = [fresh('target'), freshAddress()];
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).admit(account, address)));
    expect(burst.filter((admission) => admission.admitted)).toHaveLength(5);
    expect(new Set(burst.filter((admission) => !admission.admitted).map((admission) => refused(admission).limitedBy))).toEqual(new Set(['pair']));
  });

  it('ignores a second succeeded() for the same attempt', async () => {
    const { throttle } = await throttleAt();
    const address = freshAddress();
    for (let i = 0; i < 19; i += 1) await fail(throttle, fresh('ghost'), address, 1);
    const attempt = await admitted(throttle, fresh('person'), address);
    await attempt.succeeded();
    await attempt.succeeded();
    // 19 failures remain counted on the address: one more reaches its limit of 20.
    await fail(throttle, fresh('ghost'), address, 1);
    expect(refused(await throttle.admit(fresh('ghost'), address)).limitedBy).toBe('address');
  });
});

describe('LoginThrottle, account-wide ceiling', () => {
  it('refuses unknown addresses once 50 failures came from many, and not the address the owner signed in from', async () => {
    const { throttle, clock } = await throttleAt();
    const [account, home] = [fresh('owner'), freshAddress()];
    await succeed(throttle, account, home);
    clock.now += 10 * DAY_MS;
    for (let i = 0; i < 10; i += 1) await fail(throttle, account, freshAddress(), 5);
    expect(await throttle.admit(account, freshAddress())).toEqual({ admitted: false, limitedBy: 'account', retryAfterSeconds: 900 });
    await succeed(throttle, account, home);

    // The owner's address is known for 30 days after the last success there.
    clock.now += 30 * DAY_MS - 1;
    await fail(throttle, account, home, 1);
    clock.now += 1;
    for (let i = 0; i < 10; i += 1) await fail(throttle, account, freshAddress(), 5);
    expect(refused(await throttle.admit(account, home)).limitedBy).toBe('account');
  });

  it('still gives an attacker at a known address no more than the pair allows', async () => {
    const { throttle } = await throttleAt();
    const [account, home] = [fresh('owner'), freshAddress()];
    await succeed(throttle, account, home);
    await fail(throttle, account, home, 5);
    expect(refused(await throttle.admit(account, home)).limitedBy).toBe('pair');
  });
});

describe('LoginThrottle, per address', () => {
  it('refuses an address after twenty failures over any accounts, except for accounts that signed in from it lately', async () => {
    const { throttle } = await throttleAt();
    const [address, regular] = [freshAddress(), fresh('regular')];
    await succeed(throttle, regular, address);
    for (let i = 0; i < 20; i += 1) await fail(throttle, fresh('ghost'), address, 1);
    expect(await throttle.admit(fresh('ghost'), address)).toMatchObject({ admitted: false, limitedBy: 'address', retryAfterSeconds: 900 });
    await succeed(throttle, regular, address);
    await fail(throttle, fresh('ghost'), freshAddress(), 1);
  });

  it('forgives successful attempts, so people behind one NAT who sign in fine are not limited', async () => {
    const { throttle } = await throttleAt();
    const address = freshAddress();
    for (let i = 0; i < 40; i += 1) await succeed(throttle, fresh('person'), address);
    await fail(throttle, fresh('ghost'), address, 5);
  });
});

describe('LoginThrottleRepository.purgeExpired', () => {
  it('deletes rows that count nothing any more and keeps live windows and known addresses', async () => {
    const { throttle, clock } = await throttleAt(Date.UTC(2032, 0, 1));
    const [ghost, owner, address] = [fresh('ghost'), fresh('owner'), freshAddress()];
    await fail(throttle, ghost, address, 1);
    await succeed(throttle, owner, address);
    const rows = async () => {
      const found: { scope: string; account: string }[] = await replicas[0]!.query(
        'SELECT scope, account FROM login_throttle WHERE account IN ($1, $2) OR address = $3 ORDER BY scope, account',
        [ghost, owner, address],
      );
      return found.map((row) => `${row.scope}:${row.account}`);
    };
    const all = [`account:${ghost}`, `account:${owner}`, 'address:', `pair:${ghost}`, `pair:${owner}`];
    expect(await rows()).toEqual(all);

    // Other tests of this file left rows too: purge batch after batch until none is left.
    const purgeAll = async () => {
      const repository = new LoginThrottleRepository(replicas[0]!);
      while ((await repository.purgeExpired(new Date(clock.now))) > 0);
    };
    clock.now += 900_000;
    await purgeAll();
    expect(await rows()).toEqual([`pair:${owner}`]);

    clock.now += 30 * DAY_MS;
    await purgeAll();
    expect(await rows()).toEqual([]);
  });
});
