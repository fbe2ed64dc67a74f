import type { ProvinceDefinition } from '../../../../shared/src';
import { requireResearcher } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './ServiceRequestContext';
import type { ServiceRequestSubmission } from './ServiceRequestService';

type StepArgs = { id: string; note?: string | null };
type EndArgs = { id: string; reason: unknown };

/**
 * `submit<P>ServiceRequest` and the workflow, named for the province. Staff steps are `@policy` (this province's
 * admins); the requester's steps are `@authenticated`, and the service checks whose request it is.
 */
export function serviceRequestMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  const staffStep = (action: 'receiveSamples' | 'start' | 'close') =>
    authorized.policy(PROVINCE_ADMIN, (_: unknown, args: StepArgs, { viewer, services }) => services.serviceRequests.step(viewer, args.id, action, args.note));
  return {
    [`submit${P}ServiceRequest`]: authorized.authenticated((_: unknown, { input }: { input: ServiceRequestSubmission }, { viewer, services }) =>
      services.serviceRequests.submit(requireResearcher(viewer, `request a ${province.nameEn} service`), input)),
    [`quote${P}ServiceRequest`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { id: string; amountFen: number; validUntil: Date; note?: string | null }, { viewer, services }) =>
      services.serviceRequests.quote(viewer, args.id, args)),
    [`accept${P}ServiceQuote`]: authorized.authenticated((_: unknown, args: StepArgs, { viewer, services }) =>
      services.serviceRequests.step(viewer, args.id, 'accept', args.note)),
    [`decline${P}ServiceQuote`]: authorized.authenticated((_: unknown, args: EndArgs, { viewer, services }) =>
      services.serviceRequests.end(viewer, args.id, 'decline', args.reason)),
    [`cancel${P}ServiceRequest`]: authorized.authenticated((_: unknown, args: EndArgs, { viewer, services }) =>
      services.serviceRequests.end(viewer, args.id, 'cancel', args.reason)),
    [`reject${P}ServiceRequest`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: EndArgs, { viewer, services }) =>
      services.serviceRequests.end(viewer, args.id, 'reject', args.reason)),
    [`receive${P}Samples`]: staffStep('receiveSamples'),
    [`start${P}ServiceRequest`]: staffStep('start'),
    [`issue${P}ServiceReport`]: authorized.policy(
      PROVINCE_ADMIN,
      (_: unknown, args: { id: string; report: { fileName: string; contentType: string; contentBase64: string }; note?: string | null }, { viewer, services }) =>
        services.serviceRequests.issueReport(viewer, args.id, args.report, args.note),
    ),
    [`close${P}ServiceRequest`]: staffStep('close'),
  };
}
