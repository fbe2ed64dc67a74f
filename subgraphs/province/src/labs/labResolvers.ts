import { PROVINCES, encodeGlobalId } from '../../../../shared/src';
import type { LabEntity } from './LabEntity';
import type { ProvinceContext } from '../ProvinceContext';

export const labResolvers = {
  id: (lab: LabEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'lab', lab.id),
  province: (_: LabEntity, __: unknown, { province }: ProvinceContext) => province.code,
  partnerProvince: (lab: LabEntity) => (lab.partnerProvince ? PROVINCES[lab.partnerProvince].code : null),
  retired: (lab: LabEntity) => lab.retiredAt !== null,
  /**
   * Own instruments, then the partner's as references `{ __typename, id }`:
   * the gateway asks the partner for their fields, so this province never
   * stores or serves the partner's data.
   */
  instruments: async (lab: LabEntity, _: unknown, { loaders, partner }: ProvinceContext) => {
    const [own, partnerIds] = await Promise.all([
      loaders.labInstruments.load(lab.id),
      lab.jointlyBuilt ? loaders.labPartnerInstruments.load(lab.id) : Promise.resolve([]),
    ]);
    const partnerType = `${partner.typePrefix}Instrument`;
    return [...own, ...partnerIds.map((id) => ({ __typename: partnerType, id }))];
  },
};
