import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readCompositionManifest, type CompositionManifest } from './compositionManifest';

/** One reason composition failed: @apollo/composition's code (`EXTERNAL_MISSING_ON_BASE`…) and its message. */
export interface CompositionError {
  readonly code: string;
  readonly message: string;
}

export type CompositionResult =
  | { readonly kind: 'composed'; readonly supergraphSdl: string; readonly hints: readonly string[] }
  | { readonly kind: 'failed'; readonly errors: readonly CompositionError[] };

/** As `rover` prints them: `[CODE] message`. */
export const describeCompositionError = (error: CompositionError) => `[${error.code}] ${error.message}`;

/**
 * Composes the supergraph in code with @apollo/composition: the same rules as
 * `rover supergraph compose`, without downloading a binary. `override` swaps
 * one subgraph's SDL for a candidate, to check a change before deploying it.
 */
export function composeSupergraph(override?: { name: string; sdl: string }, manifest: CompositionManifest = readCompositionManifest()): CompositionResult {
  let services;
  try {
    services = manifest.subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(override?.name === subgraph.name ? override.sdl : subgraph.sdl()),
    }));
  } catch (error) {
    // A candidate that is not even valid SDL is a failed composition, reported like any other.
    return { kind: 'failed', errors: [{ code: 'INVALID_GRAPHQL', message: `invalid SDL: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const result = composeServices(services);
  if (result.errors || !result.supergraphSdl) {
    return {
      kind: 'failed',
      errors: (result.errors ?? []).map((error) => ({ code: String(error.extensions['code'] ?? 'COMPOSITION_ERROR'), message: error.message })),
    };
  }
  return { kind: 'composed', supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}
