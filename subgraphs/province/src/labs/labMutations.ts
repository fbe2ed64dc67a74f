import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type LabContext } from './LabContext';
import type { CallerHeaders } from './PartnerInstrumentChecker';

type InputArgs = { input: unknown };
type UpdateArgs = { id: string; input: unknown };
type RetireArgs = { id: string; reason: unknown };

/** The caller's token and request id, passed on when the partner is asked through the gateway. */
const callerOf = (context: Pick<LabContext, 'authorization' | 'requestId'>): CallerHeaders => ({
  authorization: context.authorization,
  requestId: context.requestId,
});

/** Data management of the province's own labs, named for the province; `@policy` admits admins of this province only. */
export function labMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`create${P}Lab`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: InputArgs, context) =>
      context.services.labAdmin.createLab(context.viewer, input, callerOf(context))),
    [`update${P}Lab`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, input }: UpdateArgs, context) =>
      context.services.labAdmin.updateLab(context.viewer, id, input, callerOf(context))),
    [`retire${P}Lab`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, reason }: RetireArgs, { viewer, services }) =>
      services.labAdmin.retireLab(viewer, id, reason)),
  };
}
