import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readOrCreateSecret } from '../../../../shared/src';
import type { SigningKeyConfig } from '../config';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  use: 'sig';
  alg: 'RS256';
}

export interface SigningKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The current key first, then keys kept only for verifying tokens signed before a rotation. */
  readonly jwks: { keys: PublicJwk[] };
}

/**
 * Loads the RS256 key the platform signs with. Embedded mode generates one on
 * first start and keeps it in a file; production mounts it (file or variable).
 * Public keys listed as "previous" stay in the JWKS so tokens signed before a
 * rotation keep verifying until they expire.
 */
export async function loadSigningKeys(config: SigningKeyConfig): Promise<SigningKeys> {
  const pem = await readOrGeneratePrivateKey(config);
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa' || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error('the JWT signing key must be an RSA key of at least 2048 bits');
  }
  const current = toPublicJwk(createPublicKey(privateKey));
  const previous = await Promise.all(
    config.previousPublicKeyFiles.map(async (file) => toPublicJwk(createPublicKey(await readFile(file, 'utf8')))),
  );
  return { kid: current.kid, privateKey, jwks: { keys: [current, ...previous.filter((k) => k.kid !== current.kid)] } };
}

async function readOrGeneratePrivateKey(config: SigningKeyConfig): Promise<string> {
  if (config.kind === 'inline') return config.pem;
  // A generated key lives in the embedded data folder: like every secret there it must be ours alone, or whoever
  // planted it could sign tokens. A mounted key is the operator's, and Kubernetes mounts are links.
  if (config.generateIfMissing) return readOrCreateSecret(config.file, generatePrivateKey);
  if (existsSync(config.file)) return readFile(config.file, 'utf8');
  throw new Error(`JWT_SIGNING_KEY_FILE: no key at ${config.file}`);
}

function generatePrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The key id is the RFC 7638 thumbprint, so it changes exactly when the key does. */
function toPublicJwk(key: KeyObject): PublicJwk {
  const jwk = key.export({ format: 'jwk' });
  const thumbprint = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: thumbprint, use: 'sig', alg: 'RS256' };
}
