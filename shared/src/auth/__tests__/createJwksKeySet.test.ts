import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testOnlyKey, type TestOnlyKeyName } from '../../testing/testOnlyKeys';
import { until } from '../../testing/until';
import { createJwksKeySet, type KeySet } from '../createJwksKeySet';

const jwkOf = (kid: string, key: TestOnlyKeyName) => ({
  ...testOnlyKey(key).publicKey.export({ format: 'jwk' }),
  kid,
  alg: 'RS256',
  use: 'sig',
});
const KID = 'current';
const CURRENT = jwkOf(KID, 'first');
const NEXT = jwkOf('next', 'second');

/** What the JWKS server answers: the keys it publishes, or an outage. */
let serving: { keys: unknown[] } | 'outage' = { keys: [CURRENT] };
let hits = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (serving === 'outage') {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(serving));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let clock: number;
let keySet: KeySet;

beforeEach(() => {
  serving = { keys: [CURRENT] };
  hits = 0;
  clock = 1_000_000;
  keySet = createJwksKeySet({ kind: 'remote', url }, { refreshIntervalMs: 300_000, minFetchIntervalMs: 30_000, now: () => clock });
});

const randomKids = (count: number) => Array.from({ length: count }, () => `forged-${randomUUID()}`);

/** Waits for the server to have been asked `count` times (a background refresh is not awaited by the caller). */
async function untilHits(count: number): Promise<void> {
  await until(`${count} requests for the key set`, () => hits >= count);
  expect(hits).toBe(count);
}

describe('createJwksKeySet', () => {
  it('fetches the set once and serves its keys by kid', async () => {
    expect(keySet.loaded()).toBe(false);
    expect(await keySet.keyFor(KID)).toBeDefined();
    expect(await keySet.keyFor(KID)).toBeDefined();
    expect(keySet.loaded()).toBe(true);
    expect(hits).toBe(1);
  });

  it('on a fresh process, a flood of random kids shares one fetch and a valid kid still verifies', async () => {
    const flood = await Promise.all([...randomKids(300).map((kid) => keySet.keyFor(kid)), keySet.keyFor(KID)]);
    expect(flood.slice(0, -1).every((key) => key === undefined)).toBe(true);
    expect(flood.at(-1)).toBeDefined();
    expect(hits).toBe(1);
    for (const kid of randomKids(100)) expect(await keySet.keyFor(kid)).toBeUndefined();
    expect(await keySet.keyFor(KID)).toBeDefined();
    expect(hits).toBe(1);
  });

  it('looks for unknown kids at most once per interval, one fetch shared by all callers, and never loses the known key', async () => {
    await keySet.keyFor(KID);
    for (const [advance, expectedHits] of [[31_000, 2], [10_000, 2], [15_000, 2], [5_000, 3], [1_000, 3]] as const) {
      clock += advance;
      const keys = await Promise.all(randomKids(200).map((kid) => keySet.keyFor(kid)));
      expect(keys.every((key) => key === undefined)).toBe(true);
      expect(hits).toBe(expectedHits);
      expect(await keySet.keyFor(KID)).toBeDefined();
    }
  });

  it('finds a key the platform added once the interval allows a look', async () => {
    await keySet.keyFor(KID);
    serving = { keys: [NEXT, CURRENT] };
    expect(await keySet.keyFor('next')).toBeUndefined(); // fetched a moment ago
    clock += 30_000;
    expect(await keySet.keyFor('next')).toBeDefined();
    expect(hits).toBe(2);
  });

  it('refreshes in the background once the set is old, dropping a key the platform retired', async () => {
    serving = { keys: [CURRENT, NEXT] };
    await keySet.keyFor(KID);
    serving = { keys: [NEXT] };
    clock += 300_000;
    // Answered from the set held, without waiting for the refresh.
    expect(await keySet.keyFor(KID)).toBeDefined();
    await untilHits(2);
    await until('the refreshed set in use', async () => (await keySet.keyFor(KID)) === undefined);
    expect(await keySet.keyFor('next')).toBeDefined();
  });

  it('keeps the last good keys through a JWKS outage, asking at most once per interval', async () => {
    await keySet.keyFor(KID);
    serving = 'outage';
    clock += 600_000;
    expect(await keySet.keyFor(KID)).toBeDefined();
    await untilHits(2);
    for (const kid of randomKids(50)) expect(await keySet.keyFor(kid)).toBeUndefined();
    expect(await keySet.keyFor(KID)).toBeDefined();
    expect(hits).toBe(2);
    clock += 30_000;
    expect(await keySet.keyFor(KID)).toBeDefined();
    await untilHits(3);
    expect(keySet.loaded()).toBe(true);
  });

  it('keeps the last good keys when the JWKS answers with no usable key', async () => {
    await keySet.keyFor(KID);
    // An encryption key, a symmetric one and one without a type: nothing to verify a signature with.
    serving = { keys: [{ ...NEXT, use: 'enc' }, { kty: 'oct', kid: 'shared', k: 'c2VjcmV0' }, { kid: 'no-type' }] };
    clock += 30_000;
    expect(await keySet.keyFor('next')).toBeUndefined();
    expect(hits).toBe(2);
    expect(await keySet.keyFor(KID)).toBeDefined();
  });

  it('while no set has ever loaded, retries at most once per interval', async () => {
    serving = 'outage';
    expect(await keySet.keyFor(KID)).toBeUndefined();
    expect(await keySet.keyFor(KID)).toBeUndefined();
    expect(keySet.loaded()).toBe(false);
    expect(hits).toBe(1);
    serving = { keys: [CURRENT] };
    clock += 30_000;
    expect(await keySet.keyFor(KID)).toBeDefined();
    expect(hits).toBe(2);
  });

  it('serves local keys without any network', async () => {
    const local = createJwksKeySet({ kind: 'local', jwks: { keys: [CURRENT] } });
    expect(await local.keyFor(KID)).toBeDefined();
    expect(await local.keyFor('forged')).toBeUndefined();
    expect(local.loaded()).toBe(true);
    expect(hits).toBe(0);
  });
});
