import type { GraphQLResolveInfo } from 'graphql';
import { checkPageSize, decodeOwnGlobalId, encodeGlobalId, selectedFieldNames, toConnection } from '../../../../shared/src';
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

/**
 * The columns of an instrument's catalogue card, and the fields of `<Province>Instrument` that read no other (the
 * resolvers above and `lab`, which reads `labId`): a page asking only for these reads only these columns, no dates,
 * arrays or long texts. Any other field reads the whole row. Change both with the resolvers: a test answers every
 * field here from these columns and from the whole row, and compares.
 */
const INSTRUMENT_CARD_COLUMNS = [
  'id', 'assetCode', 'name', 'nameZh', 'categoryCode', 'model', 'manufacturer', 'institution', 'labId', 'location', 'status', 'openForSharing', 'hourlyFee',
] as const satisfies readonly (keyof InstrumentEntity)[];

export const INSTRUMENT_CARD_FIELDS: ReadonlySet<string> = new Set([
  '__typename', 'id', 'ref', 'province', 'assetCode', 'name', 'nameZh', 'category', 'model', 'manufacturer', 'institution', 'location', 'lab',
  'status', 'openForSharing', 'bookable', 'hourlyFeeFen', 'hourlyFee',
]);

/** The card's columns when every field asked of a page's instruments is a card field; otherwise every column. */
function pageColumns(info: GraphQLResolveInfo): readonly (keyof InstrumentEntity & string)[] | undefined {
  for (const field of selectedFieldNames(info, ['edges', 'node'])) if (!INSTRUMENT_CARD_FIELDS.has(field)) return undefined;
  return INSTRUMENT_CARD_COLUMNS;
}

/** Fields of `<Province>Registry` about instruments. */
export const instrumentRegistryResolvers = {
  instrument: (_: unknown, { id }: { id: string }, { province, loaders }: InstrumentContext) =>
    loaders.instruments.load(decodeOwnGlobalId(id, 'instrument', province).localId),

  instruments: async (
    _: unknown,
    args: { filter?: InstrumentFilterInput | null; first: number; after?: string | null },
    { province, repositories }: InstrumentContext,
    info: GraphQLResolveInfo,
  ) => {
    const search = toInstrumentSearch(args.filter, province);
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await repositories.instruments.findPage(search, first, instrumentCursor.decode(args.after), pageColumns(info));
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
