import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { OperationLimiter } from './createOperationLimiter';
import { OperationBudget, operationBudgetOf, type LimitRefusal } from './OperationBudget';

/**
 * Charges the operations the HTTP layer could not read before parsing (a
 * persisted-query hash: its text comes from Apollo's cache) to the request's
 * budget, once resolved and before anything is resolved (at the gateway:
 * before any subgraph is asked, and its expensive fields are charged to the
 * caller's budgets then). Operations that reach Apollo Server without
 * the HTTP layer (executeOperation) get a budget of their own.
 * Each refusal is an HTTP 400 naming the limit and the variable that sets it.
 */
export function operationLimitsPlugin<TContext extends BaseContext>(limiter: OperationLimiter): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          await chargeOperationLimits(context, limiter);
        },
      };
    },
  };
}

/**
 * Charges an operation the HTTP layer did not read to the request's budget, throwing the refusal
 * (operationLimitsPlugin; requestPlugin.ts). Nothing to wait for unless the gateway's per-caller budgets hear of it.
 */
export function chargeOperationLimits(
  { document, operation, request, contextValue, schema }: Pick<GraphQLRequestContextDidResolveOperation<BaseContext>, 'document' | 'operation' | 'request' | 'contextValue' | 'schema'>,
  limiter: OperationLimiter,
): Promise<void> | undefined {
  if (!operation) return undefined;
  const budget = operationBudgetOf(contextValue);
  if (budget?.hasCharged(request.query)) return undefined;
  // A persisted query's document is Apollo's cached one, so its shape is usually kept from an earlier request.
  const shape = limiter.shapeOf(document, operation, request.variables ?? {}, schema);
  const refusal = (budget ?? new OperationBudget(limiter.limits)).charge(shape);
  if (refusal) throw refusalError(refusal);
  // Its expensive fields were not known when the request was admitted: the gateway's per-caller budgets hear of them now.
  return budget?.reportLate(shape);
}

const refusalError = (refusal: LimitRefusal) =>
  new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } } });
