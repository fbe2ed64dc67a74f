import { checkPageSize, decodeOwnGlobalId, encodeGlobalId, toConnection } from '../../../../shared/src';
import type { CategoryEntity } from './CategoryEntity';
import type { InstrumentContext } from './InstrumentContext';
import type { InstrumentEntity } from './InstrumentEntity';
import { instrumentCursor, toInstrumentSearch, type InstrumentFilterInput } from './instrumentSearch';

/** Fields of `<Province>Instrument` that are not a plain column of the same name (labs and bookings add `lab` and `availability`). */
export const instrumentResolvers = {
  id: (instrument: InstrumentEntity, _: unknown, { province }: InstrumentContext) => encodeGlobalId(province, 'instrument', instrument.id),
  province: (_: InstrumentEntity, __: unknown, { province }: InstrumentContext) => province.code,
  category: (instrument: InstrumentEntity) => instrument.categoryCode,
  bookable: (instrument: InstrumentEntity) => instrument.openForSharing && instrument.status === 'IN_SERVICE',
  /** The column keeps yuan with two decimals (at most 100,000): times 100 and rounded, it is the exact fen. */
  hourlyFeeFen: (instrument: InstrumentEntity) => Math.round(instrument.hourlyFee * 100),
};

/** Fields of `<Province>Registry` about instruments. */
export const instrumentRegistryResolvers = {
  instrument: (_: unknown, { id }: { id: string }, { province, loaders }: InstrumentContext) =>
    loaders.instruments.load(decodeOwnGlobalId(id, 'instrument', province).localId),

  instruments: async (
    _: unknown,
    args: { filter?: InstrumentFilterInput | null; first: number; after?: string | null },
    { province, repositories }: InstrumentContext,
  ) => {
    const search = toInstrumentSearch(args.filter, province);
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await repositories.instruments.findPage(search, first, instrumentCursor.decode(args.after));
    return {
      // Counted only when asked for: a page without totalCount costs one statement.
      totalCount: () => repositories.instruments.count(search),
      ...toConnection(rows, hasNextPage, instrumentCursor.encode),
    };
  },

  categories: (_: unknown, { includeRetired }: { includeRetired?: boolean | null }, { repositories }: InstrumentContext) =>
    repositories.categories.list(includeRetired ?? false),
};

/** Fields of `InstrumentCategory` that are not a plain column. */
export const categoryResolvers = {
  retired: (category: CategoryEntity) => category.retiredAt !== null,
};
