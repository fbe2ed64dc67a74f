import { contentCacheIn, contentKey, type ContentCache } from '../support/contentCache';

/** What @apollo/composition answered for one set of subgraphs, as plain data. */
export interface RawComposition {
  readonly supergraphSdl?: string;
  /** Present when composition failed: each error's `extensions.code` (if any) and message. */
  readonly errors?: readonly { readonly code?: string; readonly message: string }[];
  readonly hints: readonly string[];
  /**
   * The API schema of `supergraphSdl`, printed: written only to a cache, for the check, which compares API schemas.
   * Deriving it from the supergraph costs several times what building it from its own SDL does.
   */
  readonly apiSchemaSdl?: string;
}

/** The subgraphs exactly as they are handed to composition. */
export interface CompositionInput {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/** Composition results by the content they were composed from. */
export type CompositionCache = ContentCache<readonly CompositionInput[], RawComposition>;

const packageVersion = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/**
 * The key of a composition: a hash of every subgraph's name, URL and SDL and of the versions of the packages that
 * compose, so that a new SDL or an upgrade is a new key and a cached answer can only be the answer the same
 * composition gives today.
 */
export function compositionKey(input: readonly CompositionInput[]): string {
  const versions = ['@apollo/composition', '@apollo/federation-internals', 'graphql'].map((name) => `${name}@${packageVersion(name)}`);
  return contentKey({ versions, input });
}

/** Compositions cached in a folder (composing costs 0.2 to 1 s of CPU each). */
export const compositionCacheIn = (folder: string): CompositionCache => contentCacheIn(folder, compositionKey);
