import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import type { CompositionCache, CompositionInput, RawComposition } from './compositionCache';
import { readCompositionManifest, type CompositionManifest } from './compositionManifest';
import { apiSchemaOf } from './publishedSchema';

/** One reason composition failed: @apollo/composition's code (`EXTERNAL_MISSING_ON_BASE`…) and its message. */
export interface CompositionError {
  readonly code: string;
  readonly message: string;
}

export type CompositionResult =
  | {
    readonly kind: 'composed';
    readonly supergraphSdl: string;
    readonly hints: readonly string[];
    /** The supergraph's API schema, printed, when composed through a cache (see RawComposition). */
    readonly apiSchemaSdl?: string;
  }
  | { readonly kind: 'failed'; readonly errors: readonly CompositionError[] };

/** As `rover` prints them: `[CODE] message`. */
export const describeCompositionError = (error: CompositionError) => `[${error.code}] ${error.message}`;

/**
 * Composes the supergraph in code with @apollo/composition: the same rules as
 * `rover supergraph compose`, without downloading a binary. `override` swaps
 * one subgraph's SDL for a candidate, to check a change before deploying it.
 * With a `cache`, a composition of the same subgraphs by the same packages is
 * read from it rather than composed again, with its API schema's SDL.
 */
export function composeSupergraph(
  override?: { name: string; sdl: string }, manifest: CompositionManifest = readCompositionManifest(), cache?: CompositionCache,
): CompositionResult {
  let input: CompositionInput[];
  let services: Parameters<typeof composeServices>[0] = [];
  let result: RawComposition | undefined;
  try {
    input = manifest.subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      sdl: override?.name === subgraph.name ? override.sdl : subgraph.sdl(),
    }));
    result = cache?.read(input);
    if (!result) services = input.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) }));
  } catch (error) {
    // A candidate that is not even valid SDL is a failed composition, reported like any other.
    return { kind: 'failed', errors: [{ code: 'INVALID_GRAPHQL', message: `invalid SDL: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (!result) {
    result = compose(services);
    if (cache) cache.write(input, (result = withApiSchema(result)));
  } else if (result.supergraphSdl !== undefined && result.apiSchemaSdl === undefined) {
    // Cached before the cache kept API schemas.
    cache?.write(input, (result = withApiSchema(result)));
  }
  if (result.errors || !result.supergraphSdl) {
    return { kind: 'failed', errors: (result.errors ?? []).map((error) => ({ code: error.code ?? 'COMPOSITION_ERROR', message: error.message })) };
  }
  const { supergraphSdl, hints, apiSchemaSdl } = result;
  return { kind: 'composed', supergraphSdl, hints, ...(apiSchemaSdl === undefined ? {} : { apiSchemaSdl }) };
}

/** A composition with its supergraph's API schema printed, for a cache to keep. */
function withApiSchema(result: RawComposition): RawComposition {
  return result.supergraphSdl === undefined ? result : { ...result, apiSchemaSdl: printSchema(apiSchemaOf(result.supergraphSdl)) };
}

/** @apollo/composition's answer as plain data, which a cache can keep. */
function compose(services: Parameters<typeof composeServices>[0]): RawComposition {
  const result = composeServices(services);
  const hints = (result.hints ?? []).map((hint) => hint.toString());
  if (result.errors || !result.supergraphSdl) {
    const errors = (result.errors ?? []).map((error) => {
      const code = error.extensions['code'];
      return { ...(code === undefined ? {} : { code: String(code) }), message: error.message };
    });
    return { errors, hints };
  }
  return { supergraphSdl: result.supergraphSdl, hints };
}
