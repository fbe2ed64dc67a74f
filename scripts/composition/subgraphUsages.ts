import {
  Kind, parse, type ConstDirectiveNode, type FieldDefinitionNode, type InterfaceTypeDefinitionNode, type InterfaceTypeExtensionNode,
  type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode, type TypeNode,
} from 'graphql';

/** A schema coordinate: a type (`ChongqingLab`) or one of its fields (`ChongqingTalentCard.tier`). */
export interface Coordinate {
  readonly type: string;
  readonly field?: string;
}

export interface NamedSdl {
  readonly name: string;
  readonly sdl: string;
}

type TypeNodeWithFields = ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode;

const FIELD_KINDS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION]);

const directivesNamed = (node: { readonly directives?: readonly ConstDirectiveNode[] | undefined }, name: string) =>
  (node.directives ?? []).filter((directive) => directive.name.value === name);

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The top-level field names of a federation field set (`"tier status"`, `"id holder { id }"`). */
function topLevelFields(fieldSet: string): string[] {
  try {
    const [operation] = parse(`{ ${fieldSet} }`).definitions;
    if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
    return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
  } catch {
    return [];
  }
}

const namedTypeOf = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type));
/** A description quoted after a colon, as the reason: its own last full stop left for the sentence's. */
const quoted = (description: string | undefined) => (description ? `: "${description.replace(/\s+/g, ' ').trim().replace(/\.$/, '')}"` : '');

/**
 * Why one subgraph needs a type or field another serves, read from that subgraph's SDL, one sentence each
 * (`Sichuan's partnerRecognitions requires ChongqingTalentCard.tier: "…"`): its `@requires`, `@provides` and
 * `@key` field sets, the shared interfaces it declares the field in, its `@external` declarations and the
 * fields it returns the type from; with `sharing`, also its own definition of a field others resolve too.
 * `who` is how the subgraph is named at the start of a sentence.
 */
export function usagesIn(subgraph: NamedSdl, coordinate: Coordinate, who: string, options: { readonly sharing: boolean } = { sharing: true }): string[] {
  let document;
  try {
    document = parse(subgraph.sdl);
  } catch {
    return [];
  }
  const types = document.definitions.filter((definition): definition is TypeNodeWithFields => FIELD_KINDS.has(definition.kind));
  const named = (name: string) => types.filter((type) => type.name.value === name);
  const fieldsOf = (name: string) => named(name).flatMap((type) => type.fields ?? []);
  const descriptionOf = (name: string) => named(name).map((type) => ('description' in type ? type.description?.value : undefined)).find(Boolean);
  const sentences = new Set<string>();
  const { type: target, field } = coordinate;

  for (const type of named(target)) {
    for (const key of directivesNamed(type, 'key')) {
      const fields = stringArgument(key, 'fields') ?? '';
      if (field === undefined || topLevelFields(fields).includes(field)) sentences.add(`${who} refers to \`${target}\` by its key \`${fields}\`${quoted(descriptionOf(target))}`);
    }
  }
  if (field === undefined) {
    for (const type of types) {
      for (const candidate of type.fields ?? []) {
        if (namedTypeOf(candidate.type) === target) sentences.add(`${who}'s \`${type.name.value}.${candidate.name.value}\` returns \`${target}\`${quoted(candidate.description?.value)}`);
      }
    }
    if (sentences.size === 0 && named(target).length > 0) sentences.add(`${who} also defines \`${target}\``);
    return [...sentences];
  }

  for (const candidate of fieldsOf(target)) {
    for (const requires of directivesNamed(candidate, 'requires')) {
      if (topLevelFields(stringArgument(requires, 'fields') ?? '').includes(field)) {
        sentences.add(`${who}'s \`${candidate.name.value}\` requires \`${target}.${field}\`${quoted(candidate.description?.value)}`);
      }
    }
  }
  for (const type of types) {
    for (const candidate of type.fields ?? []) {
      for (const provides of directivesNamed(candidate, 'provides')) {
        if (namedTypeOf(candidate.type) === target && topLevelFields(stringArgument(provides, 'fields') ?? '').includes(field)) {
          sentences.add(`${who}'s \`${type.name.value}.${candidate.name.value}\` provides \`${target}.${field}\``);
        }
      }
    }
  }
  const interfaces = named(target).flatMap((type) => (type.interfaces ?? []).map((name) => name.name.value));
  for (const name of interfaces) {
    const declared = fieldsOf(name).find((candidate) => candidate.name.value === field);
    if (declared) sentences.add(`${who}'s shared interface \`${name}\` declares \`${field}\`, so every \`${name}\`, \`${target}\` included, serves it${quoted(declared.description?.value)}`);
  }
  const own: FieldDefinitionNode | undefined = fieldsOf(target).find((candidate) => candidate.name.value === field);
  if (own && sentences.size === 0) {
    if (directivesNamed(own, 'external').length > 0) sentences.add(`${who} declares \`${target}.${field}\` @external: it counts on the type's owner to serve it`);
    else if (options.sharing) sentences.add(`${who} also resolves \`${target}.${field}\` (shared): every subgraph's definition of it must agree`);
  }
  return [...sentences];
}
