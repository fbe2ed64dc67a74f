import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

export interface ScryptParams { readonly N: number; readonly r: number; readonly p: number }

/** scrypt, memory-hard: N=2^15, r=8 costs 32 MiB and ~50 ms per guess. */
const PARAMS: ScryptParams = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/**
 * Stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later without breaking old hashes
 * (verification reads them from the hash; `params` other than the default only serve such checks).
 */
export async function hashPassword(password: string, params: ScryptParams = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: MAX_MEMORY });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong password and for any stored value that is not a well-formed hash: never an exception, never a match by accident. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return false;
  const expected = Buffer.from(hash, 'base64url');
  // An empty or short key would compare equal to an equally short derivation of any password.
  if (expected.length !== KEY_LENGTH) return false;
  try {
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), KEY_LENGTH, {
      N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY,
    });
    return timingSafeEqual(expected, actual);
  } catch {
    // Parameters scrypt refuses (N not a power of two, out of range…).
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password, checked against when the username is unknown,
 * so a failed login takes the same time whether or not the account exists.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
