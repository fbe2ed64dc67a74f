import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** One key that seals webhook secrets: its id is stored beside each ciphertext, so keys can rotate. */
export interface WebhookSecretKey {
  readonly id: string;
  /** 32 bytes for AES-256-GCM, derived from the configured key material. */
  readonly key: Buffer;
}

/** The province's keys, newest first: the first seals, every one opens what it sealed. */
export type WebhookSecretKeyring = readonly [WebhookSecretKey, ...WebhookSecretKey[]];

/** A webhook secret as stored: AES-256-GCM ciphertext (base64url of iv ‖ tag ‖ ciphertext) and the id of the key that sealed it. */
export interface SealedSecret {
  readonly keyId: string;
  readonly sealed: string;
}

/** A signing secret as stored: sealed, or plain on a row the province has not sealed yet (from before sealing). */
export type StoredSecret = SealedSecret | { readonly plain: string };

/** Least key material: about 144 random bits (e.g. `openssl rand -base64 32` gives 44 characters). */
export const MIN_KEY_MATERIAL_CHARS = 24;
const KEY_ID = /^[A-Za-z0-9._-]{1,40}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Development only (refused in production): a key every checkout derives alike, so the demo's subscriptions survive a restart. */
export function developmentKeyMaterial(provinceKey: string): string {
  return `shuangcheng-development-webhook-key-${provinceKey}`;
}

/**
 * Reads `WEBHOOK_SECRET_KEYS`: `<id>:<material>[,<id>:<material>…]`, newest first. The AES key is HKDF-SHA256 of
 * the material, so any long random string serves. Answers why the value is refused, or the keyring.
 */
export function parseWebhookSecretKeys(value: string): WebhookSecretKeyring | string {
  const keys: WebhookSecretKey[] = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const material = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) return 'expected <key id>:<key>[,<key id>:<key>…], newest first; a key id is 1–40 letters, digits, . _ -';
    if (material.length < MIN_KEY_MATERIAL_CHARS) return `the key ${id} has ${material.length} characters; at least ${MIN_KEY_MATERIAL_CHARS} random ones (e.g. openssl rand -base64 32)`;
    if (keys.some((key) => key.id === id)) return `the key id ${id} is given twice; each key needs its own id`;
    keys.push({ id, key: deriveKey(material) });
  }
  const [first, ...rest] = keys;
  return first ? [first, ...rest] : 'expected at least one <key id>:<key>';
}

function deriveKey(material: string): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'shuangcheng webhook secrets', 'aes-256-gcm', 32));
}

/**
 * Seals and opens the signing secrets of webhook subscriptions. The subscription's id is the additional data, so a
 * ciphertext copied onto another subscription does not open.
 */
export class WebhookSecretBox {
  constructor(private readonly keys: WebhookSecretKeyring) {}

  /** The key new secrets are sealed with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  seal(subscriptionId: string, secret: string): SealedSecret {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(subscriptionId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { keyId: id, sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url') };
  }

  /** The plain secret of a stored one, sealed or not yet. */
  openStored(subscriptionId: string, stored: StoredSecret): string {
    return 'plain' in stored ? stored.plain : this.open(subscriptionId, stored);
  }

  /** The secret, or throws naming the key when this process does not hold it or the ciphertext does not open. */
  open(subscriptionId: string, stored: SealedSecret): string {
    const key = this.keys.find((candidate) => candidate.id === stored.keyId);
    if (!key) throw new Error(`the signing secret is sealed with key ${stored.keyId}, which WEBHOOK_SECRET_KEYS of this process does not hold`);
    const bytes = Buffer.from(stored.sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(subscriptionId));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`the signing secret sealed with key ${stored.keyId} does not open: the key was changed under the same id, or the row was altered`);
    }
  }
}
