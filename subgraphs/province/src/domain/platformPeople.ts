import { askPlatform, type PlatformAccess } from './askPlatform';

/**
 * Whether platform user ids name people the platform knows. A province keeps no copy of the platform's accounts:
 * when an admin names a person in a record the province will keep (a voucher's holder), it asks the owner at once,
 * as a joint lab's partner instruments are checked, so a mistyped id is refused while the admin can still fix it.
 */
export interface PlatformPeople {
  /** The ids, among `ids`, the platform has no account for, in the given order. Throws when the platform cannot be asked. */
  findUnknown(ids: readonly string[]): Promise<string[]>;
}

/**
 * Asks the platform as the gateway resolves a `User` reference (`_entities`, answered only with the gateway secret):
 * the platform answers null for an id that names no account.
 */
export function platformPeople(access: PlatformAccess): PlatformPeople {
  return {
    async findUnknown(ids) {
      const { _entities: found } = await askPlatform<{ _entities: ({ id: string } | null)[] }>(
        access,
        'query KnownPeople($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id } } }',
        { representations: ids.map((id) => ({ __typename: 'User', id })) },
        ['_entities'],
      );
      return ids.filter((id, index) => found[index]?.id !== id);
    },
  };
}
