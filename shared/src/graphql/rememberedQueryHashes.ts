import { createHash as cryptoHash, type BinaryToTextEncoding, type Hash } from 'node:crypto';

type CreateHash = (kind: string) => Hash;

/**
 * The copies of `@apollo/utils.createhash` Apollo's packages load (`@apollo/server` has its own version, the gateway
 * the top-level one). Each package calls `createHash` through the module's exports object, read on every call.
 */
function apolloHashModules(): { createHash: CreateHash }[] {
  const modules = new Set<{ createHash: CreateHash }>();
  for (const from of ['@apollo/server', '@apollo/gateway']) {
    let path: string;
    try {
      path = require.resolve('@apollo/utils.createhash', { paths: [require.resolve(from)] });
    } catch {
      continue; // a service without the gateway package
    }
    modules.add(require(path) as { createHash: CreateHash });
  }
  return [...modules];
}

/** Digests kept, by algorithm and text: bounded by their texts' total length, emptied when full. */
const remembered = new Map<string, string>();
let rememberedCharacters = 0;
const MAX_REMEMBERED_CHARACTERS = 2_000_000;
/** Longer texts are hashed each time: a query this long is rare, and would crowd the others out. */
const MAX_REMEMBERED_TEXT = 20_000;

/**
 * A hash that remembers its hex digests of text. Apollo Server hashes every query's text with SHA-256 (its
 * document cache's key) and `@apollo/gateway` hashes that hash with the operation's name (its query-plan cache's
 * key): the same few texts, request after request, each time with a new crypto hash (and `@apollo/utils.createhash`
 * `require`s node:crypto on every call, in the gateway 1 % of its CPU). The digest of a text is the digest of its
 * parts joined, so the joined text is the key. Anything but text in, or another encoding out, is hashed by
 * node:crypto as before; Apollo's packages call `update` and `digest` only.
 */
export class RememberingHash {
  private readonly parts: unknown[] = [];

  constructor(private readonly algorithm: string) {}

  update(data: unknown): this {
    this.parts.push(data);
    return this;
  }

  digest(encoding?: BinaryToTextEncoding): string | Buffer {
    const { parts } = this;
    if (encoding !== 'hex' || !parts.every((part) => typeof part === 'string')) return hashOf(this.algorithm, parts, encoding);
    const text = parts.join('');
    if (text.length > MAX_REMEMBERED_TEXT) return hashOf(this.algorithm, parts, encoding);
    const key = `${this.algorithm}\u0000${text}`;
    let digest = remembered.get(key);
    if (digest === undefined) {
      digest = hashOf(this.algorithm, parts, 'hex');
      if (rememberedCharacters + key.length > MAX_REMEMBERED_CHARACTERS) {
        remembered.clear();
        rememberedCharacters = 0;
      }
      remembered.set(key, digest);
      rememberedCharacters += key.length;
    }
    return digest;
  }
}

function hashOf(algorithm: string, parts: readonly unknown[], encoding: BinaryToTextEncoding): string;
function hashOf(algorithm: string, parts: readonly unknown[], encoding?: BinaryToTextEncoding): string | Buffer;
function hashOf(algorithm: string, parts: readonly unknown[], encoding?: BinaryToTextEncoding): string | Buffer {
  const hash = cryptoHash(algorithm);
  for (const part of parts) hash.update(part as string);
  return encoding ? hash.digest(encoding) : hash.digest();
}

const rememberingCreateHash: CreateHash = (kind) => new RememberingHash(kind) as unknown as Hash;

/**
 * Puts the remembering hash where Apollo Server and `@apollo/gateway` look `createHash` up (neither has an option for
 * it). Throws when an installed copy no longer exports `createHash`, so an upgrade cannot quietly go back. Idempotent.
 */
export function useRememberedQueryHashes(): void {
  for (const module of apolloHashModules()) {
    if (typeof module.createHash !== 'function') {
      throw new Error('@apollo/utils.createhash no longer exports createHash: see shared/src/graphql/rememberedQueryHashes.ts');
    }
    module.createHash = rememberingCreateHash;
  }
}
