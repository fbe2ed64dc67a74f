import type { ProvinceDefinition } from '../../../../shared/src';
import { requireProvinceAdmin } from '../domain/access';
import type { ProvinceContext } from '../ProvinceContext';
import type { CallerHeaders } from '../services/PartnerInstrumentChecker';

type InputArgs = { input: unknown };
type UpdateArgs = { id: string; input: unknown };
type RetireArgs = { id: string; reason: unknown };

/** The caller's token and request id, passed on when the partner is asked through the gateway. */
const callerOf = (context: ProvinceContext): CallerHeaders => ({ authorization: context.authorization, requestId: context.requestId });

/** Data management of the province's own instruments and labs, named for the province; admins of this province only. */
export function registryAdminMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`create${P}Instrument`]: (_: unknown, { input }: InputArgs, context: ProvinceContext) =>
      context.services.registryAdmin.createInstrument(requireProvinceAdmin(context, 'add instruments'), input),
    [`update${P}Instrument`]: (_: unknown, { id, input }: UpdateArgs, context: ProvinceContext) =>
      context.services.registryAdmin.updateInstrument(requireProvinceAdmin(context, 'change instruments'), id, input),
    [`retire${P}Instrument`]: (_: unknown, { id, reason }: RetireArgs, context: ProvinceContext) =>
      context.services.registryAdmin.retireInstrument(requireProvinceAdmin(context, 'retire instruments'), id, reason),
    [`create${P}Lab`]: (_: unknown, { input }: InputArgs, context: ProvinceContext) =>
      context.services.registryAdmin.createLab(requireProvinceAdmin(context, 'add labs'), input, callerOf(context)),
    [`update${P}Lab`]: (_: unknown, { id, input }: UpdateArgs, context: ProvinceContext) =>
      context.services.registryAdmin.updateLab(requireProvinceAdmin(context, 'change labs'), id, input, callerOf(context)),
    [`retire${P}Lab`]: (_: unknown, { id, reason }: RetireArgs, context: ProvinceContext) =>
      context.services.registryAdmin.retireLab(requireProvinceAdmin(context, 'retire labs'), id, reason),
  };
}
