import { encodeGlobalId } from '../../../../shared/src';
import type { InstrumentEntity } from './InstrumentEntity';
import type { ProvinceContext } from '../ProvinceContext';

/** Fields of `<Province>Instrument` that are not a plain column of the same name. */
export const instrumentResolvers = {
  id: (instrument: InstrumentEntity, _: unknown, { province }: ProvinceContext) => encodeGlobalId(province, 'instrument', instrument.id),
  province: (_: InstrumentEntity, __: unknown, { province }: ProvinceContext) => province.code,
  category: (instrument: InstrumentEntity) => instrument.categoryCode,
  bookable: (instrument: InstrumentEntity) => instrument.openForSharing && instrument.status === 'IN_SERVICE',
  lab: (instrument: InstrumentEntity, _: unknown, { loaders }: ProvinceContext) => (instrument.labId ? loaders.labs.load(instrument.labId) : null),
  availability: (instrument: InstrumentEntity, { from, to }: { from: Date; to: Date }, { services }: ProvinceContext) =>
    services.bookings.availability(instrument, from, to),
};
