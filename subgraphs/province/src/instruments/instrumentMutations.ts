import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './InstrumentContext';

type InputArgs = { input: unknown };
type UpdateArgs = { id: string; input: unknown };
type RetireArgs = { id: string; reason: unknown };
type RenameCategoryArgs = { code: unknown; nameEn?: unknown; nameZh?: unknown };
type RetireCategoryArgs = { code: unknown; reason: unknown };

/** Data management of the province's own instruments, named for the province; `@policy` admits admins of this province only. */
export function instrumentMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`create${P}Category`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: InputArgs, { viewer, services }) =>
      services.categoryAdmin.createCategory(viewer, input)),
    [`rename${P}Category`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { code, nameEn, nameZh }: RenameCategoryArgs, { viewer, services }) =>
      services.categoryAdmin.renameCategory(viewer, code, { nameEn, nameZh })),
    [`retire${P}Category`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { code, reason }: RetireCategoryArgs, { viewer, services }) =>
      services.categoryAdmin.retireCategory(viewer, code, reason)),
    [`create${P}Instrument`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: InputArgs, { viewer, services }) =>
      services.instrumentAdmin.createInstrument(viewer, input)),
    [`update${P}Instrument`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, input }: UpdateArgs, { viewer, services }) =>
      services.instrumentAdmin.updateInstrument(viewer, id, input)),
    [`retire${P}Instrument`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, reason }: RetireArgs, { viewer, services }) =>
      services.instrumentAdmin.retireInstrument(viewer, id, reason)),
  };
}
