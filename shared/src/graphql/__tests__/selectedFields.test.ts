import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectedFieldNames } from '../selectedFields';

/** The resolve info of the operation's first root field, or of the fields given, as graphql-js would hand it over. */
function infoOf(document: string, fieldNodes?: (operation: OperationDefinitionNode) => FieldNode[]) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  return { fieldNodes: fieldNodes ? fieldNodes(operation) : [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectedFieldNames', () => {
  it('names the fields at the path, by their names, not their aliases', () => {
    const info = infoOf(`{ instruments { edges { cursor node { id title: name lab { name } } } pageInfo { endCursor } } }`);
    expect([...selectedFieldNames(info, ['edges', 'node'])]).toEqual(['id', 'name', 'lab']);
    expect([...selectedFieldNames(info, ['edges'])]).toEqual(['cursor', 'node']);
    expect([...selectedFieldNames(info, [])]).toEqual(['edges', 'pageInfo']);
  });

  it('opens inline and named fragments, nested ones and a fragment spread twice, whatever their conditions and directives', () => {
    const info = infoOf(`
      query Page($skip: Boolean!) { instruments { edges { node { ...Card ... on SichuanInstrument { services } model @skip(if: $skip) } } } }
      fragment Card on Instrument { id ...Names ...Names }
      fragment Names on Instrument { name ... @include(if: false) { nameZh } }`);
    expect(new Set(selectedFieldNames(info, ['edges', 'node']))).toEqual(new Set(['id', 'name', 'nameZh', 'services', 'model']));
  });

  it('gathers the path from every field node merged into the field, and from every place the path is written', () => {
    const info = infoOf(
      `{ a: instruments { edges { node { id } } } a: instruments { edges { node { name } } edges { node { model } } } }`,
      (operation) => operation.selectionSet.selections as FieldNode[],
    );
    expect(new Set(selectedFieldNames(info, ['edges', 'node']))).toEqual(new Set(['id', 'name', 'model']));
  });

  it('is empty when nothing is selected at the path, or a fragment is unknown', () => {
    expect(selectedFieldNames(infoOf(`{ instruments { pageInfo { endCursor } } }`), ['edges', 'node']).size).toBe(0);
    expect(selectedFieldNames(infoOf(`{ instruments { edges { node { ...Missing } } } }`), ['edges', 'node']).size).toBe(0);
  });

  it('keeps what it worked out per field node, and tells apart a field node merged with others elsewhere', () => {
    // One fragment's field, alone in one place and merged with a sibling in another: each place answers its own fields.
    const document = parse(`
      { one: registry { ...Page } two: registry { ...Page instruments { edges { node { description } } } } }
      fragment Page on Registry { instruments { edges { node { name } } } }`);
    const fragment = document.definitions[1] as FragmentDefinitionNode;
    const operation = document.definitions[0] as OperationDefinitionNode;
    const fromFragment = fragment.selectionSet.selections[0] as FieldNode;
    const sibling = (operation.selectionSet.selections[1] as FieldNode).selectionSet!.selections[1] as FieldNode;
    const fragments = { Page: fragment };
    const alone = { fieldNodes: [fromFragment], fragments };
    const merged = { fieldNodes: [fromFragment, sibling], fragments };
    expect([...selectedFieldNames(alone, ['edges', 'node'])]).toEqual(['name']);
    expect([...selectedFieldNames(merged, ['edges', 'node'])]).toEqual(['name', 'description']);
    expect([...selectedFieldNames(alone, ['edges', 'node'])]).toEqual(['name']);
    expect(selectedFieldNames(alone, ['edges', 'node'])).toBe(selectedFieldNames(alone, ['edges', 'node']));
  });
});
