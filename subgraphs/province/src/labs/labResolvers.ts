import { PROVINCES, decodeOwnGlobalId, encodeGlobalId } from '../../../../shared/src';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { LabContext } from './LabContext';
import type { LabEntity } from './LabEntity';

export const labResolvers = {
  id: (lab: LabEntity, _: unknown, { province }: LabContext) => encodeGlobalId(province, 'lab', lab.id),
  province: (_: LabEntity, __: unknown, { province }: LabContext) => province.code,
  partnerProvince: (lab: LabEntity) => (lab.partnerProvince ? PROVINCES[lab.partnerProvince].code : null),
  retired: (lab: LabEntity) => lab.retiredAt !== null,
  /**
   * Own instruments, then the partner's as references `{ __typename, id }`:
   * the gateway asks the partner for their fields, so this province never
   * stores or serves the partner's data.
   */
  instruments: async (lab: LabEntity, _: unknown, { loaders, partner }: LabContext) => {
    const [own, partnerIds] = await Promise.all([
      loaders.labInstruments.load(lab.id),
      lab.jointlyBuilt ? loaders.labPartnerInstruments.load(lab.id) : Promise.resolve([]),
    ]);
    const partnerType = `${partner.typePrefix}Instrument`;
    return [...own, ...partnerIds.map((id) => ({ __typename: partnerType, id }))];
  },
};

/** `<Province>Instrument.lab`: the lab an instrument stands in. */
export const instrumentLabResolvers = {
  lab: (instrument: InstrumentEntity, _: unknown, { loaders }: LabContext) => (instrument.labId ? loaders.labs.load(instrument.labId) : null),
};

/** Fields of `<Province>Registry` about labs. */
export const labRegistryResolvers = {
  labs: async (_: unknown, { jointOnly }: { jointOnly: boolean }, { repositories, loaders }: LabContext) => {
    const labs = await repositories.labs.list(jointOnly);
    // Their instruments' `lab` fields then cost no further query.
    for (const lab of labs) loaders.labs.prime(lab.id, lab);
    return labs;
  },

  lab: (_: unknown, { id }: { id: string }, { province, loaders }: LabContext) =>
    loaders.labs.load(decodeOwnGlobalId(id, 'lab', province).localId),
};
