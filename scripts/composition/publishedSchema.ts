import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { isAbstractType, printSchema, type GraphQLSchema } from 'graphql';

/** The schema clients see: the supergraph without its federation machinery (`join__*`, `link__*`, subgraph URLs). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // Accept every feature a router supports, authorization specs included: the API schema drops them.
  return Supergraph.build(supergraphSdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
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
