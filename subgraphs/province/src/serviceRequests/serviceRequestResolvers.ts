import { decodeOwnGlobalId, encodeGlobalId, forbidden, isProvinceAdmin, isUuid, type ProvinceDefinition } from '../../../../shared/src';
import { mayIdentifyActor, requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type ServiceRequestContext } from './ServiceRequestContext';
import type { ServiceReportEntity } from './ServiceReportEntity';
import type { ServiceRequestEntity } from './ServiceRequestEntity';
import type { ServiceRequestEventEntity } from './ServiceRequestEventEntity';
import type { ServiceRequestStatus } from './serviceRequestRules';

/** Fields of `<Province>ServiceRequest` that are not a plain column of the same name. */
export const serviceRequestResolvers = {
  id: (request: ServiceRequestEntity, _: unknown, { province }: ServiceRequestContext) => encodeGlobalId(province, 'servicerequest', request.id),
  offering: (request: ServiceRequestEntity, _: unknown, { loaders }: ServiceRequestContext) => loaders.offerings.load(request.offeringId),
  requester: (request: ServiceRequestEntity) => ({ __typename: 'User', id: request.requesterId }),
  formValues: (request: ServiceRequestEntity) => Object.entries(request.formValues).map(([name, value]) => ({ name, value: String(value) })),
  priceSnapshot: (request: ServiceRequestEntity) => ({
    category: request.priceCategory,
    unit: request.priceUnit,
    unitFen: request.priceUnitFen,
    estimateFen: request.priceEstimateFen,
  }),
  quote: (request: ServiceRequestEntity) =>
    request.quoteAmountFen === null ? null : { amountFen: request.quoteAmountFen, validUntil: request.quoteValidUntil },
  history: (request: ServiceRequestEntity, _: unknown, { loaders }: ServiceRequestContext) => loaders.serviceRequestEvents.load(request.id),
  report: (request: ServiceRequestEntity, _: unknown, { loaders }: ServiceRequestContext) => loaders.serviceReports.load(request.id),
};

/**
 * The report document's facts; its content is read from the database only when asked for, and only by the
 * requester and this province's staff (a platform admin, who may see the request, may not download its report).
 */
export const serviceReportResolvers = {
  contentBase64: async (report: ServiceReportEntity, _: unknown, context: ServiceRequestContext) => {
    const request = await context.loaders.serviceRequests.load(report.requestId);
    const { viewer } = context;
    if (!viewer || !request || (viewer.subject !== request.requesterId && !isProvinceAdmin(viewer, context.province.key))) {
      throw forbidden(`Only the person who made the request or ${context.province.nameEn} staff may download its report.`);
    }
    return (await context.repositories.serviceRequests.reportContent(report.requestId))?.toString('base64') ?? null;
  },
};

export const serviceRequestEventResolvers = {
  actor: (event: ServiceRequestEventEntity, _: unknown, context: ServiceRequestContext) =>
    isUuid(event.actorId) && mayIdentifyActor(context, event.actorId) ? { __typename: 'User', id: event.actorId } : null,
};

/** Registry fields: one request for its requester or staff, the queue for staff. */
export const serviceRequestRegistryResolvers = {
  serviceRequest: authorized.authenticated(async (_: unknown, { id }: { id: string }, context) => {
    const request = await context.loaders.serviceRequests.load(decodeOwnGlobalId(id, 'servicerequest', context.province).localId);
    if (request) requirePersonalAccess(context, request.requesterId, 'this service request');
    return request;
  }),
  serviceRequests: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { status?: ServiceRequestStatus | null; first: number; after?: string | null }, { services }) =>
    services.serviceRequests.list(args)),
};

/** `User.<province>ServiceRequests`: a person's requests here, for that person and staff. */
export function userServiceRequestResolvers(province: ProvinceDefinition) {
  return {
    [`${province.key}ServiceRequests`]: authorized.authenticated(async (user: { id: string }, { status }: { status?: ServiceRequestStatus | null }, context) => {
      requirePersonalAccess(context, user.id, `this person's ${province.nameEn} service requests`);
      const requests = await context.loaders.serviceRequestsByRequester.load(user.id);
      return status ? requests.filter((request) => request.status === status) : requests;
    }),
  };
}
