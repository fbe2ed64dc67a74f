import { buildSchema, findBreakingChanges, type BreakingChange } from 'graphql';
import type { CompositionCache } from './compositionCache';
import { readCompositionManifest, type CompositionManifest } from './compositionManifest';
import { composeSupergraph, type CompositionError } from './composeSupergraph';
import { apiSchemaOf } from './publishedSchema';

export type SubgraphCheckResult =
  | { readonly kind: 'composition-failed'; readonly errors: readonly CompositionError[] }
  | { readonly kind: 'checked'; readonly breakingChanges: readonly BreakingChange[]; readonly supergraphSdl: string };

/**
 * What `rover subgraph check` does, offline: compose a candidate SDL for one
 * subgraph with the current SDL of the others, then compare the resulting API
 * schema with the committed supergraph's. A province team runs this before it
 * deploys, so a change that would break the other province or partners' queries
 * is caught on its own machine.
 */
export function checkSubgraph(
  name: string, candidateSdl: string, committedSupergraphSdl: string, manifest: CompositionManifest = readCompositionManifest(),
  cache?: CompositionCache,
): SubgraphCheckResult {
  const composed = composeSupergraph({ name, sdl: candidateSdl }, manifest, cache);
  if (composed.kind === 'failed') return { kind: 'composition-failed', errors: composed.errors };
  const candidateApiSchema = composed.apiSchemaSdl === undefined ? apiSchemaOf(composed.supergraphSdl) : buildSchema(composed.apiSchemaSdl);
  const breakingChanges = findBreakingChanges(apiSchemaOf(committedSupergraphSdl), candidateApiSchema);
  return { kind: 'checked', breakingChanges, supergraphSdl: composed.supergraphSdl };
}
