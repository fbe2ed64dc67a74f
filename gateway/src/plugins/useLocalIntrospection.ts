import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { execute, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** Root fields graphql-js answers from the schema itself. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type', '__typename']);

/**
 * Answers an operation that only reads the schema (`__schema`, `__type`,
 * `__typename`) with graphql-js from the API schema, as @apollo/gateway does
 * itself, but before its query planner: the planner reads every operation
 * against its own copy of the introspection types, which lacks fields
 * graphql-js serves (`__Type.isOneOf`, asked by code generators through
 * `getIntrospectionQuery({ oneOf: true })`), and refuses them as INVALID_GRAPHQL.
 * By this hook Apollo Server has validated the operation against the same API
 * schema (refusing introspection in production) and the limits have charged it.
 * Anything else, and a failure (a `__type` variable that does not coerce),
 * goes the usual way, where errors are formatted.
 */
export function useLocalIntrospection<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, request }) {
          if (!operation || !readsOnlySchema(operation.selectionSet, fragmentsOf(document))) return null;
          const result = await execute({ schema, document, operationName: request.operationName ?? null, variableValues: request.variables ?? null });
          if (result.errors || !result.data) return null;
          return { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result.data } } };
        },
      };
    },
  };
}

function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  return new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [])));
}

/** Validation has refused fragment cycles and unknown fragments already. */
function readsOnlySchema(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return SCHEMA_FIELDS.has(selection.name.value);
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    return inner !== undefined && readsOnlySchema(inner, fragments);
  });
}
