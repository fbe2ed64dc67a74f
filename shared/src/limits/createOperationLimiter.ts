import { getOperationAST, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { analyzeOperation } from './analyzeOperation';
import { OperationBudget, type LimitRefusal, type OperationShapeLimits } from './OperationBudget';

/** Checks a whole HTTP request's operations against one budget, before Apollo Server parses and validates them. */
export interface OperationLimiter {
  readonly limits: OperationShapeLimits;
  /**
   * `operations`: the request's GraphQL requests as sent (one, or a batch's).
   * Those whose text cannot be read here (a persisted-query hash, a syntax
   * error, a missing operation) are left to Apollo Server, which refuses them
   * or, for a hash, to operationLimitsPlugin, which charges the same budget.
   */
  admit(operations: readonly unknown[]): { readonly budget: OperationBudget } | { readonly refusal: LimitRefusal };
}

export interface OperationLimiterOptions {
  readonly limits: OperationShapeLimits;
  /** The same token limit Apollo Server parses with, so that both read the same documents. */
  readonly maxTokens: number;
  /** The schema served now (the gateway's changes with the supergraph); without one, every field counts as one item. */
  readonly schema: () => GraphQLSchema | undefined;
}

/**
 * Apollo Server runs its plugins' hooks only after validation, which on a
 * hostile document costs far more than these checks (graphql-js stops
 * OverlappingFieldsCanBeMerged only after about 100 ms), and it validates every
 * operation of a batch before any hook sees one. So the HTTP layer measures
 * the operations first, in time linear in their size, and refuses the whole
 * request at the first limit crossed.
 */
export function createOperationLimiter({ limits, maxTokens, schema }: OperationLimiterOptions): OperationLimiter {
  return {
    limits,
    admit(operations) {
      const budget = new OperationBudget(limits, operations.length);
      for (const operation of operations) {
        if (!isRecord(operation) || typeof operation['query'] !== 'string') continue;
        const document = parseOrNull(operation['query'], maxTokens);
        const name = operation['operationName'];
        const definition = document && getOperationAST(document, typeof name === 'string' ? name : undefined);
        if (!document || !definition) continue;
        const variables = isRecord(operation['variables']) ? operation['variables'] : {};
        const refusal = budget.charge(analyzeOperation(document, definition, variables, schema()), operation['query']);
        if (refusal) return { refusal };
      }
      return { budget };
    },
  };
}

function parseOrNull(query: string, maxTokens: number): DocumentNode | null {
  try {
    return parse(query, { maxTokens });
  } catch {
    // Apollo Server parses it again with the same options and answers the syntax error.
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
