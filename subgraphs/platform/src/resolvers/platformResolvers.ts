import type { GraphQLResolverMap } from '../../../../shared/src';
import {
  DateTimeScalar, PROVINCES, decodeGlobalId, unauthenticated, type EntityKind, type Role,
} from '../../../../shared/src';
import type { UserEntity } from '../entities/UserEntity';
import type { PlatformContext } from '../PlatformContext';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GraphQL type name of each kind of global id, per province prefix: `sc:lab:…` → `SichuanLab`. */
const TYPE_SUFFIX: Record<EntityKind, string> = {
  instrument: 'Instrument',
  lab: 'Lab',
  talentcard: 'TalentCard',
  booking: 'Booking',
};

/** Only decodes the prefix: the owning province answers every other field. */
function lookup(kind: EntityKind) {
  return (_: unknown, { id }: { id: string }) => {
    const { province } = decodeGlobalId(id, kind);
    return { __typename: `${province.typePrefix}${TYPE_SUFFIX[kind]}`, id };
  };
}

const byTypename = { __resolveType: (value: { __typename: string }) => value.__typename };

export const platformResolvers: GraphQLResolverMap<PlatformContext> = {
  DateTime: DateTimeScalar,
  Query: {
    me: (_, __, { viewer, loaders }) => (viewer?.kind === 'user' ? loaders.users.load(viewer.subject) : null),
    instrument: lookup('instrument'),
    lab: lookup('lab'),
    talentCard: (parent, args: { id: string }, context) => {
      if (!context.viewer) throw unauthenticated('Talent cards are personal data: sign in to look one up.');
      return lookup('talentcard')(parent, args);
    },
  },
  Mutation: {
    login: async (_, { username, password }: { username: string; password: string }, { services }) => {
      const { token, expiresAt, user } = await services.auth.login(username, password);
      return { token, tokenType: 'Bearer', expiresAt, user };
    },
    issueClientToken: async (_, { clientId, clientSecret }: { clientId: string; clientSecret: string }, { services }) => {
      const { token, expiresAt, scopes } = await services.auth.issueClientToken(clientId, clientSecret);
      return { token, tokenType: 'Bearer', expiresAt, scopes };
    },
  },
  User: {
    __resolveReference: ({ id }: { id: string }, { loaders }: PlatformContext) => (UUID.test(id) ? loaders.users.load(id) : null),
    homeProvince: (user: UserEntity) => (user.homeProvince ? PROVINCES[user.homeProvince].code : null),
    roles: (user: UserEntity) => user.roles.map((role: Role) => role.toUpperCase()),
  },
  Instrument: byTypename,
  Lab: byTypename,
  TalentCard: byTypename,
  Booking: byTypename,
};
