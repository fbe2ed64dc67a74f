/*
 * Why a hand-written analyser rather than a library (issue 17, defects 3 and 5).
 *
 * Weighed: GraphQL Armor (@escape.tech/graphql-armor 3.x: cost-limit 2.4, max-depth 2.4, max-aliases 2.6,
 * max-directives, max-tokens) and graphql-query-complexity 2.0. Checked against graphql 16.15 on a chain of
 * fragments that each spread the next twice:
 * - both expand a named fragment again at every spread, with no memo: work doubles with each level.
 *   graphql-query-complexity stops at a node budget (12-40 ms per operation before it refuses, the same
 *   "walk up to N nodes" this module did); Armor's cost-limit stops at its first excess but counts each
 *   fragment as an extra level (cost ×1.5 and depth +1 per spread, its issues #474 and #529), so a query
 *   that uses fragments costs more than the same query inlined, and max-depth reports 35 for a 1-level query;
 * - neither knows list sizes from the schema (Armor's cost is schema-blind; graphql-query-complexity can,
 *   through per-field estimators, but still re-expands fragments), and neither can share one budget
 *   between the operations of a batch;
 * - both are validation rules: they run inside graphql-js validation, alongside the rules whose cost they
 *   should bound (OverlappingFieldsCanBeMerged, which graphql 16.15 itself stops only after 500 000
 *   comparisons, about 100 ms), so they cannot refuse before that work either.
 * So this module stays, made linear: each fragment is measured once and its figures reused at every
 * spread (fragment figures scale with the multiplier above them), arithmetic saturates instead of
 * overflowing, and it runs on the parsed document before validation (http/startHttpServer.ts), with a
 * batch's operations sharing one budget (OperationBudget.ts).
 */
import {
  getNamedType, getNullableType, isCompositeType, isListType, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType,
  type GraphQLField, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import { addCounts, EXPENSIVE_FIELDS, type ExpensiveFieldCounts } from './expensiveFields';
import { ASSUMED_LIST_SIZE, isConnectionList, LIST_SIZES, SLICING_ARGUMENTS } from './listSizes';

/** What the limits measure about one operation, fragments inlined (but measured once each). */
export interface OperationShape {
  readonly depth: number;
  readonly aliases: number;
  readonly rootFields: number;
  /** Estimated fields in the answer: each field once per item of the lists above it (list sizes: listSizes.ts). */
  readonly cost: number;
  /** The largest page size (`first`, `last`, `limit`) the operation gives, literal or variable. */
  readonly largestFirst: number;
  /**
   * Pairs of selections that validation must compare for overlap (same response key, or two fragment
   * spreads, in one selection set), weighted by their size: what OverlappingFieldsCanBeMerged costs.
   */
  readonly comparisons: number;
  /** Selections this analysis visited: at most the document's, whatever its fragments expand to. */
  readonly visited: number;
  /**
   * Selections of the fields of expensiveFields.ts, by coordinate: each alias and each spread of a
   * fragment holding one counts. They are root fields, so each selection is one execution. Counted
   * only where the schema names the parent type.
   */
  readonly expensiveFields: ExpensiveFieldCounts;
  /**
   * The deepest `__schema` or `__type` subtree, fragments inlined. Its answer is the size of the schema,
   * not of the data, so introspection counts toward neither `depth` nor `cost`; it is held to a fixed
   * depth of its own instead (OperationBudget.ts), and graphql-js validation bounds its nested lists.
   */
  readonly introspectionDepth: number;
  /** `__schema` and `__type` selections, each alias and each spread of a fragment holding one counted. */
  readonly introspections: number;
}

/** Fields that read the schema rather than data (graphql-js answers them on the query type only). */
const INTROSPECTION_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

/** Figures of one selection set at one item; a fragment's are computed once and reused at every spread. */
interface Figures {
  depth: number;
  aliases: number;
  /** Fields at this level, fragments inlined, `__typename` aside: the root fields of an operation. */
  fields: number;
  cost: number;
  /** Null while there is none, so that ordinary selection sets allocate nothing. */
  expensive: Map<string, number> | null;
  introspectionDepth: number;
  introspections: number;
}

const EMPTY: Figures = Object.freeze({ depth: 0, aliases: 0, fields: 0, cost: 0, expensive: null, introspectionDepth: 0, introspections: 0 });
const NONE: ExpensiveFieldCounts = new Map();
/** Beyond any limit; sums and products stop here so that a hostile document cannot overflow to Infinity or NaN. */
const CEILING = Number.MAX_SAFE_INTEGER;
const add = (a: number, b: number) => Math.min(CEILING, a + b);
const times = (a: number, b: number) => Math.min(CEILING, a * b);

/**
 * Measures the operation that will run, in time linear in the document's size.
 * It may run before validation, so unknown fields, types and fragments are
 * tolerated (validation refuses them later) and a fragment cycle counts as
 * empty where it closes. Without a schema every field counts as one item.
 */
export function analyzeOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  schema?: GraphQLSchema,
): OperationShape {
  return measureOperation(document, operation, variables, schema).shape;
}

/**
 * analyzeOperation, also saying which variables the figures depend on (each with the value it was given, undefined
 * when absent): only page sizes and the arguments listSizes.ts reads. The same operation with those variables the
 * same has the same shape, so a caller may keep it (createOperationLimiter.ts).
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  schema?: GraphQLSchema,
): { readonly shape: OperationShape; readonly variablesRead: ReadonlyMap<string, unknown> } {
  const variablesRead = new Map<string, unknown>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map(operation.variableDefinitions?.map((definition) => [definition.variable.name.value, definition.defaultValue]) ?? []);
  // null while a fragment is being measured: a spread of it then closes a cycle.
  const measured = new Map<string, Figures | null>();
  let visited = 0;
  let largestFirst = 0;
  let comparisons = 0;

  const valueOf = (value: ValueNode | undefined): unknown => {
    if (!value) return undefined;
    switch (value.kind) {
      case Kind.VARIABLE: {
        const name = value.name.value;
        variablesRead.set(name, variables[name]);
        return variables[name] !== undefined ? variables[name] : valueOf(variableDefaults.get(name));
      }
      case Kind.INT:
      case Kind.FLOAT:
        return Number(value.value);
      case Kind.STRING:
        return value.value;
      default:
        return undefined;
    }
  };

  /** How many items a field answers: its page-size argument, what listSizes.ts knows, or 1 for a single value. */
  const itemsOf = (node: FieldNode, parent: GraphQLCompositeType | undefined, field: GraphQLField<unknown, unknown> | undefined): number => {
    const sizeOf = field && parent ? LIST_SIZES.get(`${parent.name}.${field.name}`) : undefined;
    const args: Record<string, unknown> = {};
    for (const argument of field?.args ?? []) if (argument.defaultValue !== undefined) args[argument.name] = argument.defaultValue;
    let given: number | null = null;
    for (const argument of node.arguments ?? []) {
      const slicing = SLICING_ARGUMENTS.has(argument.name.value);
      // Only what the figures use is read, so that other variables (an entity fetch's representations) do not count as read.
      if (!slicing && !sizeOf) continue;
      const value = valueOf(argument.value);
      // A variable left out (and without a default of its own) leaves the argument's default in force, as execution does.
      if (value === undefined && argument.value.kind === Kind.VARIABLE) continue;
      args[argument.name.value] = value;
      if (slicing && typeof value === 'number' && Number.isFinite(value)) given = Math.max(given ?? 0, value);
    }
    if (given !== null) largestFirst = Math.max(largestFirst, given);
    const page = [...SLICING_ARGUMENTS].map((name) => args[name]).find((value): value is number => typeof value === 'number' && Number.isFinite(value));
    if (page !== undefined) return Math.max(1, page);
    if (!field || !parent || !isListType(getNullableType(field.type))) return 1;
    if (isConnectionList(parent.name, field.name)) return 1;
    return sizeOf?.(args) ?? ASSUMED_LIST_SIZE;
  };

  const typeNamed = (name: string | undefined, fallback: GraphQLCompositeType | undefined) => {
    if (!name) return fallback;
    const type = schema?.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  const fragmentFigures = (name: string): Figures => {
    const known = measured.get(name);
    if (known !== undefined) return known ?? EMPTY;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY;
    measured.set(name, null);
    const figures = measure(fragment.selectionSet, typeNamed(fragment.typeCondition.name.value, undefined));
    measured.set(name, figures);
    return figures;
  };

  /** `keys` counts response keys and spreads of the selection set validation merges (inline fragments join their parent's). */
  const measure = (selectionSet: SelectionSetNode, type: GraphQLCompositeType | undefined, keys = new Map<string, number>()): Figures => {
    const figures: Figures = { ...EMPTY };
    // Into this selection set's own map: a fragment's figures are reused at every spread and must not change.
    const countExpensive = (more: ExpensiveFieldCounts | null) => {
      if (more) addCounts((figures.expensive ??= new Map()), more);
    };
    const includeIntrospection = (inner: Figures) => {
      figures.introspectionDepth = Math.max(figures.introspectionDepth, inner.introspectionDepth);
      figures.introspections = add(figures.introspections, inner.introspections);
    };
    const include = (inner: Figures) => {
      figures.depth = Math.max(figures.depth, inner.depth);
      figures.aliases = add(figures.aliases, inner.aliases);
      figures.fields = add(figures.fields, inner.fields);
      figures.cost = add(figures.cost, inner.cost);
      countExpensive(inner.expensive);
      includeIntrospection(inner);
    };
    /** Validation compares a selection with every earlier one under the same key, and recurses into their selections. */
    const compare = (key: string, size: number) => {
      const earlier = keys.get(key) ?? 0;
      keys.set(key, earlier + 1);
      comparisons = add(comparisons, times(earlier, 1 + size));
    };
    for (const selection of selectionSet.selections) {
      visited++;
      if (selection.kind === Kind.FIELD) {
        compare((selection.alias ?? selection.name).value, selection.selectionSet?.selections.length ?? 0);
        const field = type && 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
        const items = itemsOf(selection, type, field);
        const child = selection.selectionSet ? measure(selection.selectionSet, field ? (getNamedType(field.type) as GraphQLCompositeType) : undefined) : EMPTY;
        if (INTROSPECTION_FIELDS.has(selection.name.value)) {
          figures.introspectionDepth = Math.max(figures.introspectionDepth, 1 + child.depth);
          figures.introspections = add(figures.introspections, 1);
        } else {
          figures.depth = Math.max(figures.depth, 1 + child.depth);
          figures.cost = add(figures.cost, add(1, times(items, child.cost)));
        }
        figures.aliases = add(figures.aliases, add(child.aliases, selection.alias ? 1 : 0));
        if (selection.name.value !== '__typename') figures.fields = add(figures.fields, 1);
        countExpensive(child.expensive);
        includeIntrospection(child);
        const coordinate = type ? `${type.name}.${selection.name.value}` : '';
        if (EXPENSIVE_FIELDS.has(coordinate)) countExpensive(new Map([[coordinate, 1]]));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        include(measure(selection.selectionSet, typeNamed(selection.typeCondition?.name.value, type), keys));
      } else {
        compare('...', fragments.get(selection.name.value)?.selectionSet.selections.length ?? 0);
        include(fragmentFigures(selection.name.value));
      }
    }
    return figures;
  };

  const root = schema && (operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType());
  const figures = measure(operation.selectionSet, root ?? undefined);
  const shape: OperationShape = {
    depth: figures.depth, aliases: figures.aliases, rootFields: figures.fields, cost: figures.cost, largestFirst, comparisons, visited,
    expensiveFields: figures.expensive ?? NONE, introspectionDepth: figures.introspectionDepth, introspections: figures.introspections,
  };
  return { shape, variablesRead };
}
