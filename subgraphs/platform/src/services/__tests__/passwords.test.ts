import { dummyHash, hashPassword, verifyPassword } from '../passwords';

const PASSWORD = 'correct horse battery staple';
/**
 * Verification reads the parameters from the stored hash, so its cases run on cheap ones, and so does salting, which
 * no parameter changes: the default parameters (some 100 ms of CPU a hash) are checked once, by the first hash below,
 * and the dummy hash keeps them too.
 */
const CHEAP = { N: 1 << 10, r: 8, p: 1 };

describe('hashPassword', () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword(PASSWORD);
  });

  it('does not contain the password', () => {
    expect(hash).not.toBe(PASSWORD);
    expect(hash).not.toContain(PASSWORD);
    expect(hash).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
  });

  it('uses the scrypt$N$r$p$salt$hash format', () => {
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    const [, , , , salt, key] = hash.split('$');
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
  });

  it('salts: two hashes of the same password differ', async () => {
    const [once, again] = [await hashPassword(PASSWORD, CHEAP), await hashPassword(PASSWORD, CHEAP)];
    expect(again).not.toBe(once);
    expect(again.split('$')[4]).not.toBe(once.split('$')[4]);
    await expect(verifyPassword(PASSWORD, again)).resolves.toBe(true);
  });
});

describe('verifyPassword', () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword(PASSWORD, CHEAP);
  });

  it('reads the parameters from the stored hash', () => {
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
  });

  it('accepts the right password', async () => {
    await expect(verifyPassword(PASSWORD, hash)).resolves.toBe(true);
  });

  it.each([['wrong password'], [''], [`${PASSWORD} `], [PASSWORD.toUpperCase()]])('refuses %j', async (attempt) => {
    await expect(verifyPassword(attempt, hash)).resolves.toBe(false);
  });

  it('handles non-ASCII passwords', async () => {
    const stored = await hashPassword('密码-пароль-🔑', CHEAP);
    await expect(verifyPassword('密码-пароль-🔑', stored)).resolves.toBe(true);
    await expect(verifyPassword('密码-пароль-🔐', stored)).resolves.toBe(false);
  });

  it('refuses when the stored hash was altered', async () => {
    const parts = hash.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 0xff;
    parts[5] = key.toString('base64url');
    await expect(verifyPassword(PASSWORD, parts.join('$'))).resolves.toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['a plain string', 'not-a-hash'],
    ['another scheme', '$2b$10$abcdefghijklmnopqrstuv'],
    ['missing parts', 'scrypt$32768$8$1$c2FsdA'],
    ['an empty hash part', 'scrypt$32768$8$1$c2FsdA$'],
    ['the password itself', PASSWORD],
  ])('returns false for a malformed stored hash (%s)', async (_label, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  // Node's scrypt throws for such parameters; verification must still answer false.
  it.each([
    ['non-numeric N', 'scrypt$abc$8$1$c2FsdA$aGFzaA'],
    ['N not a power of two', 'scrypt$3$8$1$c2FsdA$aGFzaA'],
  ])('returns false (does not throw) for a stored hash with %s', async (_label, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  // Security: an empty stored key would equal an empty derivation of any password.
  it.each([['='], ['!']])('refuses every password when the hash part %j decodes to zero bytes', async (hashPart) => {
    await expect(verifyPassword('any password at all', `scrypt$32768$8$1$c2FsdA$${hashPart}`)).resolves.toBe(false);
  });
});

describe('dummyHash', () => {
  it('is a well-formed hash that the same promise returns each time and no guess verifies', async () => {
    const first = await dummyHash();
    expect(await dummyHash()).toBe(first);
    // The default parameters: an unknown user's login costs what a known one's does.
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('', first)).resolves.toBe(false);
  });
});
