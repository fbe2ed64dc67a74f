import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';
import { analyzeOperation } from './analyzeOperation';

/** The shape limits one operation must stay within. */
export interface OperationShapeLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  readonly maxFirst: number;
}

/**
 * Refuses operations too large to answer safely, before anything is
 * resolved (at the gateway: before any subgraph is asked): depth, aliases, root fields, estimated cost and the size of `first`.
 * Each refusal is an HTTP 400 naming the limit and the variable that sets it.
 * (Token count and body size are limited earlier, when parsing and reading.)
 */
export function operationLimitsPlugin<TContext extends BaseContext>(limits: OperationShapeLimits): ApolloServerPlugin<TContext> {
  const refuse = (what: string, actual: number, limit: number, variable: string) =>
    new GraphQLError(`The operation's ${what} is ${actual}; the limit is ${limit} (${variable}). Ask for less, or split the operation.`, {
      extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, limit: variable, actual, allowed: limit, http: { status: 400 } },
    });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const shape = analyzeOperation(document, operation, request.variables ?? {});
          if (shape.depth > limits.maxDepth) throw refuse('depth', shape.depth, limits.maxDepth, 'MAX_QUERY_DEPTH');
          if (shape.aliases > limits.maxAliases) throw refuse('number of aliases', shape.aliases, limits.maxAliases, 'MAX_ALIASES');
          if (shape.rootFields > limits.maxRootFields) throw refuse('number of root fields', shape.rootFields, limits.maxRootFields, 'MAX_ROOT_FIELDS');
          if (shape.largestFirst > limits.maxFirst) throw refuse('largest `first`', shape.largestFirst, limits.maxFirst, 'MAX_PAGE_SIZE');
          if (shape.cost > limits.maxCost) throw refuse('estimated cost', shape.cost, limits.maxCost, 'MAX_QUERY_COST');
        },
      };
    },
  };
}
