import { getOperationAST, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { measureOperation, type OperationShape } from './analyzeOperation';
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
  /** The shape of one parsed operation (analyzeOperation.ts), kept between requests while nothing it depends on changes. */
  shapeOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>, schema: GraphQLSchema | undefined): OperationShape;
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
  const parsed = parsedDocuments(maxTokens);
  const shapeOf = shapesOfOperations();
  return {
    limits,
    shapeOf,
    admit(operations) {
      const budget = new OperationBudget(limits, operations.length);
      for (const operation of operations) {
        if (!isRecord(operation) || typeof operation['query'] !== 'string') continue;
        const document = parsed(operation['query']);
        const name = operation['operationName'];
        const definition = document && getOperationAST(document, typeof name === 'string' ? name : undefined);
        if (!document || !definition) continue;
        const variables = isRecord(operation['variables']) ? operation['variables'] : {};
        const refusal = budget.charge(shapeOf(document, definition, variables, schema()), operation['query']);
        if (refusal) return { refusal };
      }
      return { budget };
    },
  };
}

/** Texts up to this length are kept parsed; longer ones, rare and often hostile, are parsed each time. */
const CACHED_TEXT_LENGTH = 16_384;
const CACHED_DOCUMENTS = 500;

/**
 * Parses a query as Apollo Server will, keeping recent documents by their text. A subgraph is asked the same few
 * texts by the gateway's query plans over and over (only the variables change), so without the cache every request
 * was parsed twice, here and by Apollo. A plain Map emptied when full: the texts that repeat are few, so an LRU's
 * bookkeeping would buy nothing. Documents are only read, never changed, so sharing them is safe.
 */
function parsedDocuments(maxTokens: number): (query: string) => DocumentNode | null {
  const documents = new Map<string, DocumentNode | null>();
  return (query) => {
    const known = documents.get(query);
    if (known !== undefined) return known;
    let document: DocumentNode | null;
    try {
      document = parse(query, { maxTokens });
    } catch {
      // Apollo Server parses it again with the same options and answers the syntax error.
      document = null;
    }
    if (query.length <= CACHED_TEXT_LENGTH) {
      if (documents.size >= CACHED_DOCUMENTS) documents.clear();
      documents.set(query, document);
    }
    return document;
  };
}

interface KnownShape {
  readonly schema: GraphQLSchema | undefined;
  /** The variables the shape depends on, with the values it was measured with. */
  readonly variablesRead: ReadonlyMap<string, unknown>;
  readonly shape: OperationShape;
}

/**
 * Measures operations, keeping each one's last shape. Parsed documents are shared by text (parsedDocuments), so an
 * operation the gateway sends again is the same node: its shape is reused while the schema and the few variables it
 * depends on (page sizes, periods) are unchanged, which for most requests means always. Only shapes measured with
 * plain values are kept, so the comparison is by identity.
 */
function shapesOfOperations() {
  const known = new WeakMap<OperationDefinitionNode, KnownShape>();
  return (document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>, schema: GraphQLSchema | undefined): OperationShape => {
    const last = known.get(operation);
    if (last && last.schema === schema && [...last.variablesRead].every(([name, value]) => Object.is(variables[name], value))) return last.shape;
    const { shape, variablesRead } = measureOperation(document, operation, variables, schema);
    if ([...variablesRead.values()].every(isPlainValue)) known.set(operation, { schema, variablesRead, shape });
    return shape;
  };
}

const isPlainValue = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
