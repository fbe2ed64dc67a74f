import { badUserInput, DomainError } from '../../../../shared/src';
import { askPlatform, type PlatformAccess } from './askPlatform';

/**
 * Whether platform user ids name people the platform knows. A province keeps no copy of the platform's accounts:
 * when an admin names a person in a record the province will keep (a voucher's or a talent card's holder, a trained
 * person's qualification), it asks the owner at once, as a joint lab's partner instruments are checked, so a
 * mistyped id is refused while the admin can still fix it.
 */
export interface PlatformPeople {
  /** The ids, among `ids`, the platform has no account for, in the given order. Throws when the platform cannot be asked. */
  findUnknown(ids: readonly string[]): Promise<string[]>;
}

/** How a record names its person, for requireKnownPerson's refusals. */
export interface NamedPerson {
  /** The argument that carries the user id (`input.holderUserId`). */
  readonly argument: string;
  /** What the record is, as the refusal says nothing of it was written (`voucher`). */
  readonly record: string;
  /** Whose account the id must be, and what else names them (after "The platform has no account with the id …"). */
  readonly hint: string;
  /** `extensions.reason` of the unknown person (`UNKNOWN_HOLDER`). */
  readonly reason: string;
}

/**
 * Refuses, before anything is written, a user id the platform has no account for (BAD_USER_INPUT with the record's
 * reason), and anything at all while the platform cannot answer (SERVICE_UNAVAILABLE, PLATFORM_UNAVAILABLE): a record
 * kept for a person nobody can sign in as would be a record nobody could use.
 */
export async function requireKnownPerson(people: PlatformPeople, userId: string, named: NamedPerson): Promise<void> {
  let unknown: string[];
  try {
    unknown = await people.findUnknown([userId]);
  } catch {
    throw new DomainError(
      'SERVICE_UNAVAILABLE',
      `The platform could not be asked whether the person ${named.argument} names has an account right now; no ${named.record} was written. Retry later.`,
      { reason: 'PLATFORM_UNAVAILABLE' },
    );
  }
  if (unknown.length > 0) {
    throw badUserInput(
      `${named.argument}: the platform has no account with the id ${userId}. ${named.hint} Nothing was written.`,
      { argument: named.argument, reason: named.reason },
    );
  }
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
