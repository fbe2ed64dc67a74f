import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

interface Worked {
  readonly fieldNodes: readonly FieldNode[];
  readonly path: string;
  readonly names: ReadonlySet<string>;
}

/**
 * Worked out once per field of a parsed document: a cached document's field nodes are the same objects on every
 * request. Kept under the first field node, and matched on all of them: a named fragment's field may be merged with
 * other fields where the fragment is spread, and each place selects what all of them do.
 */
const workedByField = new WeakMap<FieldNode, Worked[]>();

/**
 * The names of the fields selected `path` below the field being resolved (`['edges', 'node']`: what a page's rows
 * are asked for), through aliases, inline fragments and named fragments. Every field written is counted, whatever its
 * fragment's type condition or its `@skip`/`@include`: the answer may only name more fields than are resolved, never
 * fewer. Empty when nothing is selected at the path.
 */
export function selectedFieldNames(info: SelectionInfo, path: readonly string[]): ReadonlySet<string> {
  const { fieldNodes } = info;
  const key = path.join('.');
  const worked = fieldNodes[0] ? workedByField.get(fieldNodes[0]) : undefined;
  const known = worked?.find((entry) => entry.path === key && sameNodes(entry.fieldNodes, fieldNodes));
  if (known) return known.names;
  let sets = selectionSets(fieldNodes);
  for (const name of path) sets = selectionSets(fieldsIn(sets, info.fragments).filter((field) => field.name.value === name));
  const names: ReadonlySet<string> = new Set(fieldsIn(sets, info.fragments).map((field) => field.name.value));
  if (fieldNodes[0]) {
    const entry = { fieldNodes: [...fieldNodes], path: key, names };
    if (worked) worked.push(entry);
    else workedByField.set(fieldNodes[0], [entry]);
  }
  return names;
}

function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  return a.length === b.length && a.every((node, index) => node === b[index]);
}

function selectionSets(fields: readonly FieldNode[]): SelectionSetNode[] {
  return fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
}

/** The fields written in these selection sets, fragments opened (each named fragment once). */
function fieldsIn(sets: readonly SelectionSetNode[], fragments: Readonly<Record<string, FragmentDefinitionNode>>): FieldNode[] {
  const fields: FieldNode[] = [];
  const opened = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!opened.has(selection.name.value)) {
        opened.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return fields;
}
