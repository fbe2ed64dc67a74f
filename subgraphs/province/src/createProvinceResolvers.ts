import { DateTimeScalar, decodeOwnGlobalId, isUuid, type GraphQLResolverMap, type ProvinceDefinition } from '../../../shared/src';
import { authorized, requireCardAccess, requirePersonalAccess, requireViewer } from './domain/access';
import type { BookingStatus } from './domain/registryTypes';
import type { ProvinceContext } from './ProvinceContext';
import { bookingMutations } from './bookings/bookingMutations';
import { bookingEventResolvers, bookingRegistryResolvers, bookingResolvers } from './bookings/bookingResolvers';
import { instrumentResolvers } from './instruments/instrumentResolvers';
import { labResolvers } from './labs/labResolvers';
import { auditEntryResolvers } from './audit/auditEntryResolvers';
import { instrumentMutations } from './instruments/instrumentMutations';
import { labMutations } from './labs/labMutations';
import { registryResolvers } from './registryResolvers';
import { cardVerificationResolvers, partnerCardVerificationResolvers } from './talentCards/cardVerificationResolvers';
import { talentCardMutations } from './talentCards/talentCardMutations';
import { partnerRecognitions, talentCardResolvers } from './talentCards/talentCardResolvers';

type Reference = { id: string };


/**
 * The resolver map of one province. Type names come from the province
 * definition (`SichuanInstrument`, `Query.sichuan`…): both deployments run
 * this same code.
 */
export function createProvinceResolvers(province: ProvinceDefinition, partner: ProvinceDefinition): GraphQLResolverMap<ProvinceContext> {
  const P = province.typePrefix;
  const O = partner.typePrefix;
  return {
    DateTime: DateTimeScalar,
    Query: {
      // The registry object carries no data: its fields read the context.
      [province.key]: () => ({}),
    },
    [`${P}Registry`]: { ...registryResolvers, ...bookingRegistryResolvers },
    Mutation: {
      ...bookingMutations(province),
      ...talentCardMutations(province),
      ...instrumentMutations(province),
      ...labMutations(province),
    },
    AuditEntry: auditEntryResolvers,
    BookingEvent: bookingEventResolvers,
    [`${P}Instrument`]: {
      ...instrumentResolvers,
      __resolveReference: ({ id }: Reference, { loaders }: ProvinceContext) =>
        loaders.instruments.load(decodeOwnGlobalId(id, 'instrument', province).localId),
    },
    [`${P}Lab`]: {
      ...labResolvers,
      __resolveReference: ({ id }: Reference, { loaders }: ProvinceContext) =>
        loaders.labs.load(decodeOwnGlobalId(id, 'lab', province).localId),
    },
    [`${P}TalentCard`]: {
      ...talentCardResolvers,
      __resolveReference: async ({ id }: Reference, context: ProvinceContext) => {
        requireViewer(context, 'talent cards');
        return requireCardAccess(context, await context.loaders.talentCards.load(decodeOwnGlobalId(id, 'talentcard', province).localId));
      },
    },
    [`${O}TalentCard`]: {
      partnerRecognitions,
    },
    [`${P}CardVerification`]: cardVerificationResolvers,
    [`${O}CardVerification`]: partnerCardVerificationResolvers,
    [`${P}Booking`]: {
      ...bookingResolvers,
      __resolveReference: async ({ id }: Reference, context: ProvinceContext) => {
        const booking = await context.loaders.bookings.load(decodeOwnGlobalId(id, 'booking', province).localId);
        if (booking) requirePersonalAccess(context, booking.userId, 'this booking');
        return booking;
      },
    },
    Instrument: {
      // Own rows are entities; partner references carry their __typename.
      __resolveType: (value: { __typename?: string }) => value.__typename ?? `${P}Instrument`,
    },
    User: {
      // Platform user ids are UUIDs; anything else cannot have data here.
      __resolveReference: ({ id }: Reference) => (isUuid(id) ? { id } : null),
      [`${province.key}TalentCard`]: authorized.authenticated((user: Reference, _: unknown, context) => {
        requirePersonalAccess(context, user.id, `this person's ${province.cardName}`);
        return context.loaders.talentCardsByHolder.load(user.id);
      }),
      [`${province.key}Bookings`]: authorized.authenticated(async (user: Reference, { status }: { status?: BookingStatus | null }, context) => {
        requirePersonalAccess(context, user.id, `this person's ${province.nameEn} bookings`);
        const bookings = await context.loaders.bookingsByUser.load(user.id);
        return status ? bookings.filter((booking) => booking.status === status) : bookings;
      }),
    },
  };
}
