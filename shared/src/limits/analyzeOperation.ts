import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/** What the gateway's limits measure about one operation, fragments inlined. */
export interface OperationShape {
  readonly depth: number;
  readonly aliases: number;
  readonly rootFields: number;
  /** Estimated number of fields the answer holds: each field counts once per item of the lists above it, list sizes from `first`. */
  readonly cost: number;
  /** The largest `first` asked for anywhere. */
  readonly largestFirst: number;
}

/** Stops the walk of a pathological document early; the limits are far below this anyway. */
const WALK_BUDGET = 100_000;

/**
 * Measures the operation that will run. Fragment cycles cannot recurse
 * forever here: a fragment already being expanded on the current path is
 * skipped (graphql-js rejects such documents in validation anyway).
 */
export function analyzeOperation(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let visited = 0;
  let aliases = 0;
  let largestFirst = 0;

  const firstOf = (field: FieldNode): number | null => {
    const argument = field.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'last');
    if (!argument) return null;
    const value = literal(argument.value, variables);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };

  /** Returns [depth, cost] of a selection set at `multiplier` items. */
  const walk = (selectionSet: SelectionSetNode, multiplier: number, expanding: Set<string>): [number, number] => {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (++visited > WALK_BUDGET) return [depth, Number.MAX_SAFE_INTEGER];
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const first = firstOf(selection);
        if (first !== null) largestFirst = Math.max(largestFirst, first);
        const [childDepth, childCost] = selection.selectionSet
          ? walk(selection.selectionSet, multiplier * Math.max(1, first ?? 1), expanding)
          : [0, 0];
        depth = Math.max(depth, 1 + childDepth);
        cost += multiplier + childCost;
      } else {
        const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
        const target = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)?.selectionSet : selection.selectionSet;
        if (!target || (name && expanding.has(name))) continue;
        const [innerDepth, innerCost] = walk(target, multiplier, name ? new Set([...expanding, name]) : expanding);
        depth = Math.max(depth, innerDepth);
        cost += innerCost;
      }
    }
    return [depth, cost];
  };

  const rootFields = countRootFields(operation.selectionSet, fragments, new Set());
  const [depth, cost] = walk(operation.selectionSet, 1, new Set());
  return { depth, aliases, rootFields, cost, largestFirst };
}

/** Top-level fields, fragments inlined; each fragment is counted once and remembered, so nesting cannot explode. */
function countRootFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  expanding: Set<string>,
  memo = new Map<string, number>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragments, expanding, memo);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || expanding.has(name)) continue;
      if (!memo.has(name)) memo.set(name, countRootFields(fragment.selectionSet, fragments, new Set([...expanding, name]), memo));
      count = Math.min(Number.MAX_SAFE_INTEGER, count + memo.get(name)!);
    }
  }
  return count;
}

function literal(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.INT || value.kind === Kind.FLOAT) return Number(value.value);
  return null;
}
