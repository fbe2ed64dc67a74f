import { WebhookSecretBox, developmentKeyMaterial, parseWebhookSecretKeys, type WebhookSecretKeyring } from '../webhookSecretKeys';

const keyring = (value: string) => {
  const keys = parseWebhookSecretKeys(value);
  if (typeof keys === 'string') throw new Error(keys);
  return keys as WebhookSecretKeyring;
};
const OLD = 'old:0123456789abcdefghijklmnopqrstuv';
const NEW = 'new:vutsrqponmlkjihgfedcba9876543210';

describe('webhook secret keys', () => {
  it('seals a secret so that the stored form does not show it, and opens it again', () => {
    const box = new WebhookSecretBox(keyring(OLD));
    const sealed = box.seal('sub-1', 'whsec_abc');
    expect(sealed.keyId).toBe('old');
    expect(sealed.sealed).not.toContain('whsec');
    expect(Buffer.from(sealed.sealed, 'base64url').toString('latin1')).not.toContain('abc');
    expect(box.open('sub-1', sealed)).toBe('whsec_abc');
    // A fresh nonce each time: the same secret never seals the same way twice.
    expect(box.seal('sub-1', 'whsec_abc').sealed).not.toBe(sealed.sealed);
  });

  it('seals with the first key and opens with every key it holds: keys rotate', () => {
    const sealedByOld = new WebhookSecretBox(keyring(OLD)).seal('sub-1', 'whsec_abc');
    const rotated = new WebhookSecretBox(keyring(`${NEW},${OLD}`));
    expect(rotated.currentKeyId).toBe('new');
    expect(rotated.open('sub-1', sealedByOld)).toBe('whsec_abc');
    expect(rotated.seal('sub-1', 'whsec_abc').keyId).toBe('new');
    expect(() => new WebhookSecretBox(keyring(NEW)).open('sub-1', sealedByOld)).toThrow('sealed with key old, which WEBHOOK_SECRET_KEYS of this process does not hold');
  });

  it('refuses a ciphertext moved to another subscription, altered, or opened with another key under the same id', () => {
    const box = new WebhookSecretBox(keyring(OLD));
    const sealed = box.seal('sub-1', 'whsec_abc');
    expect(() => box.open('sub-2', sealed)).toThrow('does not open');
    const bytes = Buffer.from(sealed.sealed, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open('sub-1', { keyId: 'old', sealed: bytes.toString('base64url') })).toThrow('does not open');
    expect(() => new WebhookSecretBox(keyring('old:another-key-of-enough-characters')).open('sub-1', sealed)).toThrow('does not open');
  });

  it('opens a secret still stored plain (a row from before sealing)', () => {
    expect(new WebhookSecretBox(keyring(OLD)).openStored('sub-1', { plain: 'whsec_legacy' })).toBe('whsec_legacy');
  });

  it.each([
    ['', 'expected at least one <key id>:<key>'],
    ['no-colon-here-but-long-enough-000', 'expected <key id>:<key>'],
    ['k1:short', 'the key k1 has 5 characters; at least 24'],
    [`${OLD},${OLD}`, 'the key id old is given twice'],
    ['bad id:0123456789abcdefghijklmnopqrstuv', 'a key id is 1–40 letters'],
  ])('refuses %j', (value, message) => {
    expect(parseWebhookSecretKeys(value)).toEqual(expect.stringContaining(message));
  });

  it('derives the development key from the province, so each province has its own', () => {
    expect(developmentKeyMaterial('sichuan')).not.toBe(developmentKeyMaterial('chongqing'));
    expect(keyring(`dev:${developmentKeyMaterial('sichuan')}`)[0].key).toHaveLength(32);
  });
});
