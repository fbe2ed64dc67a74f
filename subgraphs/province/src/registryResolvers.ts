import { badUserInput, checkPageSize, decodeOwnGlobalId, toConnection } from '../../../shared/src';
import { authorized, requireCardAccess } from './domain/access';
import { PROVINCE_ADMIN } from './domain/provinceAdmin';
import { instrumentCursor, toInstrumentSearch, type InstrumentFilterInput } from './instruments/instrumentSearch';
import type { ProvinceContext } from './ProvinceContext';
import type { AuditLogArgs } from './audit/AuditLogService';
import { toRecognizedService } from './talentCards/talentCardResolvers';

const MAX_CARD_NUMBER_LENGTH = 40;

/** Fields of `<Province>Registry`, the province's namespaced root. */
export const registryResolvers = {
  province: (_: unknown, __: unknown, { province }: ProvinceContext) => province.code,
  name: (_: unknown, __: unknown, { province }: ProvinceContext) => province.nameEn,
  nameZh: (_: unknown, __: unknown, { province }: ProvinceContext) => province.nameZh,

  instrument: (_: unknown, { id }: { id: string }, { province, loaders }: ProvinceContext) =>
    loaders.instruments.load(decodeOwnGlobalId(id, 'instrument', province).localId),

  instruments: async (
    _: unknown,
    args: { filter?: InstrumentFilterInput | null; first: number; after?: string | null },
    { province, repositories }: ProvinceContext,
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

  categories: (_: unknown, __: unknown, { repositories }: ProvinceContext) => repositories.categories.list(),

  labs: async (_: unknown, { jointOnly }: { jointOnly: boolean }, { repositories, loaders }: ProvinceContext) => {
    const labs = await repositories.labs.list(jointOnly);
    // Their instruments' `lab` fields then cost no further query.
    for (const lab of labs) loaders.labs.prime(lab.id, lab);
    return labs;
  },

  lab: (_: unknown, { id }: { id: string }, { province, loaders }: ProvinceContext) =>
    loaders.labs.load(decodeOwnGlobalId(id, 'lab', province).localId),

  recognitionCatalog: async (_: unknown, __: unknown, { province, loaders }: ProvinceContext) =>
    (await loaders.recognitionCatalog()).map((row) => toRecognizedService(row, province)),

  talentCard: authorized.authenticated(async (_: unknown, { cardNumber }: { cardNumber: string }, context) => {
    const number = cardNumber.trim();
    if (number.length === 0 || number.length > MAX_CARD_NUMBER_LENGTH) {
      throw badUserInput(`cardNumber must be 1–${MAX_CARD_NUMBER_LENGTH} characters, such as the number printed on the card.`, { argument: 'cardNumber' });
    }
    return requireCardAccess(context, await context.repositories.talentCards.findByCardNumber(number));
  }),

  stats: (_: unknown, { from, to }: { from?: Date | null; to?: Date | null }, { services }: ProvinceContext) =>
    services.stats.forPeriod(from, to),

  auditLog: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: AuditLogArgs, { services }) => services.auditLog.page(args)),
};
