import { createHash } from 'node:crypto';

/**
 * A deterministic RFC 4122 version-5-style UUID for a name. Seed data uses it so
 * that records in separately owned databases can refer to each other (a joint
 * lab to a partner instrument, a talent card to its holder's platform account)
 * without either side reading the other's database.
 */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(`shuangcheng:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Platform user id of a seeded account. Seeds on both sides use it: the
 * platform to create the account, a province to name the holder of a card.
 */
export const seededUserId = (username: string): string => stableUuid(`user:${username}`);
