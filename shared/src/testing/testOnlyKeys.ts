import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The committed test keys: three, so a test can sign with one, publish another and keep a stranger. */
export type TestOnlyKeyName = 'first' | 'second' | 'third';

export interface TestOnlyKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8, as `JWT_SIGNING_KEY` and `jsonwebtoken` take it. */
  readonly privateKeyPem: string;
  /** SPKI, as an operator keeps a retired key. */
  readonly publicKeyPem: string;
}

/**
 * RSA-2048 key pairs for tests only (`testOnlyKeys/*.test-only.pem`), generated once with
 * `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` and committed: generating a key costs 0.1 to 0.8 s
 * of CPU, paid by every test file that made its own. Published with the source, so they sign nothing real: no
 * production code imports this module (the module boundary test checks it) and the image leaves the folder out
 * (.dockerignore).
 */
export function testOnlyKey(name: TestOnlyKeyName): TestOnlyKey {
  const privateKeyPem = readFileSync(join(__dirname, 'testOnlyKeys', `${name}.test-only.pem`), 'utf8');
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, privateKeyPem, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
