import {
  DateTimeScalar, decodeOwnGlobalId, isUuid, notFound, type EntityKind, type GraphQLResolverMap, type ProvinceDefinition,
} from '../../../shared/src';
import { accessLogEntryResolvers, accessLogRegistryResolvers } from './accessLog/accessLogResolvers';
import { auditEntryResolvers, auditRegistryResolvers } from './audit/auditEntryResolvers';
import { bookingMutations } from './bookings/bookingMutations';
import {
  bookingEventResolvers, bookingRegistryResolvers, bookingResolvers, instrumentBookingResolvers, userBookingResolvers,
} from './bookings/bookingResolvers';
import { clientGrantMutations, clientGrantRegistryResolvers, partnerClientResolvers } from './clientGrants/clientGrantResolvers';
import { eventRegistryResolvers, eventResolvers, webhookMutations, webhookSubscriptionResolvers } from './events/eventResolvers';
import { requireCardAccess, requirePersonalAccess, requireViewer } from './domain/access';
import { instrumentMutations } from './instruments/instrumentMutations';
import { categoryResolvers, instrumentRegistryResolvers, instrumentResolvers } from './instruments/instrumentResolvers';
import { labMutations } from './labs/labMutations';
import { instrumentLabResolvers, labRegistryResolvers, labResolvers, withPageLabs } from './labs/labResolvers';
import type { ProvinceContext } from './ProvinceContext';
import { registryFileMutations } from './registryFiles/registryFileMutations';
import { recognitionMutations } from './recognitions/recognitionMutations';
import { partnerCardVerificationResolvers, partnerRecognitions, recognitionRegistryResolvers, serviceDeliveryResolvers } from './recognitions/recognitionResolvers';
import { instrumentRulesResolvers, qualificationMutations, qualificationRegistryResolvers, qualificationResolvers } from './qualifications/qualificationResolvers';
import { evaluationResolvers, statsRegistryResolvers } from './stats/statsResolvers';
import { bookingUsageResolvers, usageMutations } from './usage/usageResolvers';
import { cardCheckMutations, cardCheckRegistryResolvers, cardVerificationResolvers, codeVerificationResolvers } from './cardChecks/cardVerificationResolvers';
import { talentCardMutations } from './talentCards/talentCardMutations';
import { talentCardRegistryResolvers, talentCardResolvers, userTalentCardResolvers } from './talentCards/talentCardResolvers';
import { offeringMutations } from './offerings/offeringMutations';
import { instrumentOfferingResolvers, offeringRegistryResolvers, offeringResolvers } from './offerings/offeringResolvers';
import { serviceRequestMutations } from './serviceRequests/serviceRequestMutations';
import {
  serviceReportResolvers, serviceRequestEventResolvers, serviceRequestRegistryResolvers, serviceRequestResolvers, userServiceRequestResolvers,
} from './serviceRequests/serviceRequestResolvers';
import {
  bookingChargeResolvers, chargeMutations, chargeRegistryResolvers, chargeResolvers, serviceRequestChargeResolvers, statementResolvers,
} from './charges/chargeResolvers';
import { voucherMutations } from './vouchers/voucherMutations';
import {
  chargeVoucherResolvers, statsVoucherResolvers, userVoucherResolvers, voucherHoldResolvers, voucherRedemptionResolvers, voucherRegistryResolvers, voucherResolvers,
  voucherSettlementResolvers,
} from './vouchers/voucherResolvers';

/** A reference by either key: `id` (the other province's links) or `ref` (the platform's lookups by global id). */
type Reference = { id?: string; ref?: string };

const ENTITY_NAMES: Record<EntityKind, string> = {
  instrument: 'instrument', lab: 'lab', talentcard: 'talent card', booking: 'booking', offering: 'offering', servicerequest: 'service request', charge: 'charge',
  voucher: 'voucher',
};

/**
 * What a reference names, loaded; NOT_FOUND when nothing has that id. The platform's lookups reference by `ref`,
 * which only this province resolves, so even a query selecting just `id` learns here whether the entity exists:
 * null plus an error, never an object for an id that names nothing.
 */
async function referenced<T>(
  reference: Reference, kind: EntityKind, province: ProvinceDefinition, load: (localId: string) => Promise<T | null | undefined>,
): Promise<T> {
  const globalId = reference.id ?? reference.ref ?? '';
  const entity = await load(decodeOwnGlobalId(globalId, kind, province).localId);
  if (!entity) throw notFound(`No ${ENTITY_NAMES[kind]} of ${province.nameEn} has the id ${globalId}.`, { id: globalId });
  return entity;
}

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
      instruments: withPageLabs(instrumentRegistryResolvers.instruments),
      ...labRegistryResolvers,
      ...bookingRegistryResolvers,
      ...talentCardRegistryResolvers,
      ...cardCheckRegistryResolvers,
      ...recognitionRegistryResolvers,
      ...statsRegistryResolvers,
      ...auditRegistryResolvers,
      ...clientGrantRegistryResolvers,
      ...accessLogRegistryResolvers,
      ...qualificationRegistryResolvers,
      ...offeringRegistryResolvers,
      ...serviceRequestRegistryResolvers,
      ...chargeRegistryResolvers,
      ...voucherRegistryResolvers,
      ...eventRegistryResolvers,
    },
    Mutation: {
      ...bookingMutations(province),
      ...talentCardMutations(province),
      ...cardCheckMutations(province),
      ...recognitionMutations(province),
      ...instrumentMutations(province),
      ...labMutations(province),
      ...clientGrantMutations(province),
      ...registryFileMutations(province),
      ...qualificationMutations(province),
      ...usageMutations(province),
      ...offeringMutations(province),
      ...serviceRequestMutations(province),
      ...chargeMutations(province),
      ...voucherMutations(province),
      ...webhookMutations(province),
    },
    InstrumentCategory: categoryResolvers,
    AuditEntry: auditEntryResolvers,
    PartnerClient: partnerClientResolvers(province),
    AccessLogEntry: accessLogEntryResolvers,
    [`${P}Qualification`]: qualificationResolvers,
    [`${P}Voucher`]: voucherResolvers,
    [`${P}VoucherHold`]: voucherHoldResolvers,
    [`${P}VoucherRedemption`]: voucherRedemptionResolvers,
    [`${P}Stats`]: statsVoucherResolvers,
    VoucherSettlement: voucherSettlementResolvers,
    [`${P}Evaluation`]: evaluationResolvers,
    [`${P}Event`]: eventResolvers(province),
    [`${P}WebhookSubscription`]: webhookSubscriptionResolvers,
    BookingEvent: bookingEventResolvers,
    [`${P}Instrument`]: {
      ...instrumentResolvers,
      ...instrumentLabResolvers,
      ...instrumentBookingResolvers,
      ...instrumentRulesResolvers,
      ...instrumentOfferingResolvers,
      ref: instrumentResolvers.id,
      __resolveReference: (reference: Reference, { loaders }: ProvinceContext) =>
        referenced(reference, 'instrument', province, (id) => loaders.instruments.load(id)),
    },
    [`${P}Lab`]: {
      ...labResolvers,
      ref: labResolvers.id,
      __resolveReference: (reference: Reference, { loaders }: ProvinceContext) =>
        referenced(reference, 'lab', province, (id) => loaders.labs.load(id)),
    },
    [`${P}TalentCard`]: {
      ...talentCardResolvers,
      ref: talentCardResolvers.id,
      __resolveReference: async (reference: Reference, context: ProvinceContext) => {
        requireViewer(context, 'talent cards');
        return requireCardAccess(context, await referenced(reference, 'talentcard', province, (id) => context.loaders.talentCards.load(id)));
      },
    },
    [`${O}TalentCard`]: {
      partnerRecognitions,
    },
    [`${P}CardVerification`]: cardVerificationResolvers,
    [`${O}CardVerification`]: partnerCardVerificationResolvers,
    [`${P}CodeVerification`]: codeVerificationResolvers,
    [`${P}ServiceDelivery`]: serviceDeliveryResolvers,
    [`${O}CodeVerification`]: partnerCardVerificationResolvers,
    [`${P}Offering`]: offeringResolvers,
    [`${P}ServiceRequest`]: { ...serviceRequestResolvers, ...serviceRequestChargeResolvers },
    ServiceReport: serviceReportResolvers,
    ServiceRequestEvent: serviceRequestEventResolvers,
    [`${P}Charge`]: { ...chargeResolvers, ...chargeVoucherResolvers },
    [`${P}Statement`]: statementResolvers,
    [`${P}Booking`]: {
      ...bookingResolvers,
      ...bookingUsageResolvers,
      ...bookingChargeResolvers,
      ref: bookingResolvers.id,
      __resolveReference: async (reference: Reference, context: ProvinceContext) => {
        const booking = await referenced(reference, 'booking', province, (id) => context.loaders.bookings.load(id));
        requirePersonalAccess(context, booking.userId, 'this booking');
        return booking;
      },
    },
    Instrument: {
      // Own rows are entities; partner references carry their __typename.
      __resolveType: (value: { __typename?: string }) => value.__typename ?? `${P}Instrument`,
    },
    User: {
      // Platform user ids are UUIDs; anything else cannot have data here.
      __resolveReference: ({ id }: { id: string }) => (isUuid(id) ? { id } : null),
      ...userTalentCardResolvers(province),
      ...userBookingResolvers(province),
      ...userServiceRequestResolvers(province),
      ...userVoucherResolvers(province),
    },
  };
}
