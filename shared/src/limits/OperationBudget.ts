import { ErrorCode } from '../errors/ErrorCode';
import type { OperationShape } from './analyzeOperation';
import { addCounts, countByKind, describeCounts, MAX_SIGN_INS_PER_OPERATION, type ExpensiveFieldCounts } from './expensiveFields';

/** The limits one HTTP request must stay within. */
export interface OperationShapeLimits {
  /** Per operation. */
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxFirst: number;
  /** Shared by every operation of the request (a batch is one request). */
  readonly maxCost: number;
  /** Selections of expensive fields (sign-ins, bookings, card checks: expensiveFields.ts), the request's operations together. */
  readonly maxExpensiveFields: number;
}

/**
 * Pairs of selections validation may compare for one request (the weighted
 * `comparisons` of analyzeOperation): about a millisecond of graphql-js's
 * OverlappingFieldsCanBeMerged per 5 000 on this machine. Legitimate queries
 * compare almost nothing: the same field twice in one selection set is rare.
 */
export const MAX_COMPARISONS = 5_000;

/**
 * How deep a `__schema` or `__type` selection may go: 15 is the depth of graphql-js's
 * `getIntrospectionQuery()` with every option on (its TypeRef fragment nests `ofType` nine times),
 * which code generators, schema checkers and IDEs send. Fixed rather than configurable, like the
 * query's own shape: an `ofType` chain deeper than that describes no type this schema has.
 */
export const MAX_INTROSPECTION_DEPTH = 15;

/**
 * `__schema` and `__type` selections in one request, aliases, spreads and a batch's operations
 * together. Introspection is not counted in MAX_QUERY_COST (its answer is the schema's size, about
 * 150 KB for the full query), so this keeps aliases from multiplying it; a tool sends one.
 */
export const MAX_INTROSPECTIONS = 3;

/** A refusal as clients receive it; `extensions.limit` names the variable that sets the limit. */
export interface LimitRefusal {
  readonly message: string;
  readonly extensions: {
    readonly code: ErrorCode;
    readonly limit: string;
    readonly actual: number;
    readonly allowed: number;
    /** For a limit on expensive fields: the operation's, by coordinate (`{ "Mutation.login": 10 }`). */
    readonly fields?: Readonly<Record<string, number>>;
  };
}

/** Told of expensive fields charged after the request was admitted (the gateway's per-caller budgets); may refuse by throwing. */
export type LateFieldsMeter = (fields: ExpensiveFieldCounts) => Promise<void>;

/**
 * What one HTTP request has spent: every operation of a batch is charged to
 * the same budget, so ten operations just under the cost limit do not make a
 * request ten times over it. Each charge is refused at the first limit crossed.
 */
export class OperationBudget {
  private cost = 0;
  private comparisons = 0;
  private introspections = 0;
  private readonly expensive = new Map<string, number>();
  private readonly charged = new Set<string>();
  private lateMeter: LateFieldsMeter | undefined;

  /** `operations`: how many the request holds, read here or not (a batch's length); the rate limit charges each. */
  constructor(
    private readonly limits: OperationShapeLimits,
    readonly operations = 1,
  ) {}

  /** The expensive fields charged so far, the request's operations together. */
  get expensiveFields(): ExpensiveFieldCounts {
    return this.expensive;
  }

  /** Charges one operation; returns the refusal when it crosses a limit (and then charges nothing). */
  charge(shape: OperationShape, query?: string): LimitRefusal | null {
    const { limits } = this;
    const cost = this.cost + shape.cost;
    const comparisons = this.comparisons + shape.comparisons;
    const introspections = this.introspections + shape.introspections;
    const refusal =
      shape.depth > limits.maxDepth ? refuse('depth', shape.depth, limits.maxDepth, 'MAX_QUERY_DEPTH')
      : shape.introspectionDepth > MAX_INTROSPECTION_DEPTH ? refuse('introspection depth (`__schema`, `__type`)', shape.introspectionDepth, MAX_INTROSPECTION_DEPTH, 'MAX_INTROSPECTION_DEPTH')
      : introspections > MAX_INTROSPECTIONS ? refuse('number of `__schema` and `__type` selections, with the other operations of this request,', introspections, MAX_INTROSPECTIONS, 'MAX_INTROSPECTIONS')
      : shape.aliases > limits.maxAliases ? refuse('number of aliases', shape.aliases, limits.maxAliases, 'MAX_ALIASES')
      : shape.rootFields > limits.maxRootFields ? refuse('number of root fields', shape.rootFields, limits.maxRootFields, 'MAX_ROOT_FIELDS')
      : shape.largestFirst > limits.maxFirst ? refuse('largest `first`', shape.largestFirst, limits.maxFirst, 'MAX_PAGE_SIZE')
      : cost > limits.maxCost ? refuse(this.cost > 0 ? 'estimated cost, with the other operations of this batch,' : 'estimated cost', cost, limits.maxCost, 'MAX_QUERY_COST')
      : comparisons > MAX_COMPARISONS ? refuse('number of repeated fields to compare', comparisons, MAX_COMPARISONS, 'MAX_COMPARISONS')
      : this.refuseExpensive(shape.expensiveFields);
    if (refusal) return refusal;
    this.cost = cost;
    this.comparisons = comparisons;
    this.introspections = introspections;
    addCounts(this.expensive, shape.expensiveFields);
    if (query !== undefined) this.charged.add(query);
    return null;
  }

  /** Whether an operation of this text was charged already (by the HTTP layer, before parsing by Apollo). */
  hasCharged(query: string | undefined): boolean {
    return query !== undefined && this.charged.has(query);
  }

  /** Where expensive fields charged later than the request's admission are reported. */
  meterLateFields(meter: LateFieldsMeter): void {
    this.lateMeter = meter;
  }

  /** Reports an operation charged after admission (read from a persisted-query hash) to the meter, if any. */
  async reportLate(shape: OperationShape): Promise<void> {
    if (shape.expensiveFields.size > 0) await this.lateMeter?.(shape.expensiveFields);
  }

  private refuseExpensive(fields: ExpensiveFieldCounts): LimitRefusal | null {
    if (fields.size === 0) return null;
    const signIns = countByKind(fields).signIn;
    if (signIns > MAX_SIGN_INS_PER_OPERATION) {
      return refuseFields(
        `The operation signs in ${signIns} times (${describeCounts(fields)}); each checks a password or secret, and one operation may sign in at most ${MAX_SIGN_INS_PER_OPERATION} time (MAX_SIGN_INS_PER_OPERATION). Sign in once per operation.`,
        fields, signIns, MAX_SIGN_INS_PER_OPERATION, 'MAX_SIGN_INS_PER_OPERATION',
      );
    }
    const earlier = total(this.expensive);
    const requested = Math.min(Number.MAX_SAFE_INTEGER, earlier + total(fields));
    const { maxExpensiveFields } = this.limits;
    if (requested <= maxExpensiveFields) return null;
    const batch = earlier > 0 ? ', with the other operations of this batch,' : '';
    return refuseFields(
      `The request asks for ${requested} sign-ins, bookings or card checks${batch} (this operation: ${describeCounts(fields)}); the limit is ${maxExpensiveFields} a request (MAX_EXPENSIVE_FIELDS), aliases and batched operations included. Send the rest in later requests.`,
      fields, requested, maxExpensiveFields, 'MAX_EXPENSIVE_FIELDS',
    );
  }
}

const total = (fields: ExpensiveFieldCounts) => [...fields.values()].reduce((sum, count) => Math.min(Number.MAX_SAFE_INTEGER, sum + count), 0);

function refuseFields(message: string, fields: ExpensiveFieldCounts, actual: number, allowed: number, variable: string): LimitRefusal {
  return { message, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, limit: variable, actual, allowed, fields: Object.fromEntries(fields) } };
}

function refuse(what: string, actual: number, allowed: number, variable: string): LimitRefusal {
  const shown = actual >= Number.MAX_SAFE_INTEGER ? 'beyond counting' : String(actual);
  return {
    message: `The operation's ${what} is ${shown}; the limit is ${allowed} (${variable}). Ask for less, or split the operation.`,
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, limit: variable, actual, allowed },
  };
}

/**
 * Where a request's budget travels with its context. Apollo Server copies the
 * context for each operation of a batch, shallowly, so every copy holds this
 * same budget.
 */
const BUDGET = Symbol('operationBudget');

/**
 * A copy of `context` carrying `budget` (a copy: a service may answer the same context object to every anonymous caller).
 * `Object.assign`, not `{ ...context, [BUDGET]: budget }`: V8 gives every object built by a spread and then given a key
 * of its own a new hidden class (patches/README.md, "Spreads").
 */
export function withOperationBudget<TContext extends object>(context: TContext, budget: OperationBudget): TContext {
  return Object.assign({}, context, { [BUDGET]: budget });
}

export function operationBudgetOf(context: object): OperationBudget | undefined {
  return (context as { [BUDGET]?: OperationBudget })[BUDGET];
}
