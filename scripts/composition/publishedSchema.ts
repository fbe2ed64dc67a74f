import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { isAbstractType, printSchema, type GraphQLSchema } from 'graphql';

/** The API schemas built last, by supergraph SDL, the most recently used last. */
const recentApiSchemas = new Map<string, GraphQLSchema>();
const RECENT_API_SCHEMAS = 4;

/**
 * The schema clients see: the supergraph without its federation machinery (`join__*`, `link__*`, subgraph URLs).
 * Building it costs a few hundred milliseconds of CPU, and the same supergraph is often asked for again (the check
 * compares every candidate with the committed supergraph, which is also the one `npm run compose` publishes), so the
 * last few are kept: a schema is only read once built.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  let schema = recentApiSchemas.get(supergraphSdl);
  if (schema) {
    recentApiSchemas.delete(supergraphSdl);
  } else {
    // Accept every feature a router supports, authorization specs included: the API schema drops them.
    schema = Supergraph.build(supergraphSdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
    if (recentApiSchemas.size >= RECENT_API_SCHEMAS) recentApiSchemas.delete(recentApiSchemas.keys().next().value!);
  }
  recentApiSchemas.set(supergraphSdl, schema);
  return schema;
}

/**
 * What a partner builds a client from: the API schema's SDL, descriptions included (for codegen and IDEs),
 * and Apollo Client's `possibleTypes` (each interface and union with the object types that implement it,
 * without which the cache cannot match fragments on interfaces).
 */
export function publishedSchemaOf(supergraphSdl: string): { readonly sdl: string; readonly possibleTypes: Record<string, string[]> } {
  const schema = apiSchemaOf(supergraphSdl);
  const possibleTypes: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (isAbstractType(type) && !type.name.startsWith('__')) {
      possibleTypes[type.name] = schema.getPossibleTypes(type).map((member) => member.name).sort();
    }
  }
  return { sdl: `${printSchema(schema)}\n`, possibleTypes };
}
