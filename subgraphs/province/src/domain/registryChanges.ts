import { DomainError, badUserInput, decodeOwnGlobalId, type EntityKind, type ProvinceDefinition } from '../../../../shared/src';

/** How a registry change is described in its audit record: each changed field with its value before and after. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** The fields of `changes` whose value differs from `current`, with both values. */
export function differences<T extends object>(current: T, changes: Partial<T>): FieldChanges {
  const diff: FieldChanges = {};
  for (const [key, to] of Object.entries(changes)) {
    const from = (current as Record<string, unknown>)[key];
    if (!sameValue(from, to)) diff[key] = { from, to };
  }
  return diff;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function pickKeys<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key))) as Partial<T>;
}

/** Names the argument in an id error raised by the shared decoders, keeping their explanation. */
export function withArgument(error: unknown, argument: string): unknown {
  if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') {
    return badUserInput(`${argument}: ${error.message}`, { ...error.details, argument });
  }
  return error;
}

/** The local id of an argument that must be an id of this province, an error naming the argument otherwise. */
export function decodeOwnArgument(id: string, kind: EntityKind, province: ProvinceDefinition, argument: string): string {
  try {
    return decodeOwnGlobalId(id, kind, province).localId;
  } catch (error) {
    throw withArgument(error, argument);
  }
}
