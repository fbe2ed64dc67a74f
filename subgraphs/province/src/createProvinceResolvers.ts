import { DateTimeScalar, decodeOwnGlobalId, isUuid, type GraphQLResolverMap, type ProvinceDefinition } from '../../../shared/src';
import { auditEntryResolvers, auditRegistryResolvers } from './audit/auditEntryResolvers';
import { bookingMutations } from './bookings/bookingMutations';
import {
  bookingEventResolvers, bookingRegistryResolvers, bookingResolvers, instrumentBookingResolvers, userBookingResolvers,
} from './bookings/bookingResolvers';
import { requireCardAccess, requirePersonalAccess, requireViewer } from './domain/access';
import { instrumentMutations } from './instruments/instrumentMutations';
import { instrumentRegistryResolvers, instrumentResolvers } from './instruments/instrumentResolvers';
import { labMutations } from './labs/labMutations';
import { instrumentLabResolvers, labRegistryResolvers, labResolvers } from './labs/labResolvers';
import type { ProvinceContext } from './ProvinceContext';
import { recognitionMutations } from './recognitions/recognitionMutations';
import { partnerCardVerificationResolvers, partnerRecognitions, recognitionRegistryResolvers } from './recognitions/recognitionResolvers';
import { statsRegistryResolvers } from './stats/statsResolvers';
import { cardVerificationResolvers } from './talentCards/cardVerificationResolvers';
import { talentCardMutations } from './talentCards/talentCardMutations';
import { talentCardRegistryResolvers, talentCardResolvers, userTalentCardResolvers } from './talentCards/talentCardResolvers';

type Reference = { id: string };

/**
 * The resolver map of one province, put together from the features' parts.
 * Type names come from the province definition (`SichuanInstrument`,
 * `Query.sichuan`…): both deployments run this same code. The references the
 * gateway resolves (`__resolveReference`) are here, where every loader is known.
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
    [`${P}Registry`]: {
      id: () => province.key,
      province: () => province.code,
      name: () => province.nameEn,
      nameZh: () => province.nameZh,
      ...instrumentRegistryResolvers,
      ...labRegistryResolvers,
      ...bookingRegistryResolvers,
      ...talentCardRegistryResolvers,
      ...recognitionRegistryResolvers,
      ...statsRegistryResolvers,
      ...auditRegistryResolvers,
    },
    Mutation: {
      ...bookingMutations(province),
      ...talentCardMutations(province),
      ...recognitionMutations(province),
      ...instrumentMutations(province),
      ...labMutations(province),
    },
    AuditEntry: auditEntryResolvers,
    BookingEvent: bookingEventResolvers,
    [`${P}Instrument`]: {
      ...instrumentResolvers,
      ...instrumentLabResolvers,
      ...instrumentBookingResolvers,
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
      ...userTalentCardResolvers(province),
      ...userBookingResolvers(province),
    },
  };
}
