import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './OfferingContext';

/** Offerings and price lists of the province, named for it; `@policy` admits admins of this province only. */
export function offeringMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`create${P}Offering`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: { input: unknown }, { viewer, services }) =>
      services.offeringAdmin.create(viewer, input)),
    [`update${P}Offering`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, input }: { id: string; input: unknown }, { viewer, services }) =>
      services.offeringAdmin.update(viewer, id, input)),
    [`set${P}OfferingPrices`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, prices }: { id: string; prices: unknown }, { viewer, services }) =>
      services.offeringAdmin.setPrices(viewer, id, prices)),
  };
}
