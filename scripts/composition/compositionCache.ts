import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What @apollo/composition answered for one set of subgraphs, as plain data. */
export interface RawComposition {
  readonly supergraphSdl?: string;
  /** Present when composition failed: each error's `extensions.code` (if any) and message. */
  readonly errors?: readonly { readonly code?: string; readonly message: string }[];
  readonly hints: readonly string[];
}

/** The subgraphs exactly as they are handed to composition. */
export interface CompositionInput {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/** Composition results by the content they were composed from. */
export interface CompositionCache {
  read(input: readonly CompositionInput[]): RawComposition | undefined;
  write(input: readonly CompositionInput[], result: RawComposition): void;
}

const packageVersion = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/**
 * The key of a composition: a hash of every subgraph's name, URL and SDL and of the versions of the packages that
 * compose, so that a new SDL or an upgrade is a new key and a cached answer can only be the answer the same
 * composition gives today.
 */
export function compositionKey(input: readonly CompositionInput[]): string {
  const versions = ['@apollo/composition', '@apollo/federation-internals', 'graphql'].map((name) => `${name}@${packageVersion(name)}`);
  return createHash('sha256').update(JSON.stringify({ versions, input })).digest('hex');
}

/**
 * A cache in a folder, one JSON file per key, for the tests that compose the same candidates on every run
 * (composing costs 0.2 to 1 s of CPU each). A file is written beside its final name and renamed over it, so two
 * processes filling the same key never leave a half-written entry.
 */
export function compositionCacheIn(folder: string): CompositionCache {
  const fileOf = (input: readonly CompositionInput[]) => join(folder, `${compositionKey(input)}.json`);
  return {
    read(input) {
      try {
        return JSON.parse(readFileSync(fileOf(input), 'utf8')) as RawComposition;
      } catch {
        return undefined;
      }
    },
    write(input, result) {
      mkdirSync(folder, { recursive: true });
      const file = fileOf(input);
      const staged = `${file}.${randomUUID()}.tmp`;
      writeFileSync(staged, JSON.stringify(result));
      renameSync(staged, file);
    },
  };
}
