import type { GraphQLResolveInfo } from 'graphql';
import { PROVINCES, decodeOwnGlobalId, encodeGlobalId, selectedFieldNames } from '../../../../shared/src';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { LabContext } from './LabContext';
import type { LabCard } from './LabRepository';
import type { LabLoaders } from './labLoaders';

/** Fields of `<Province>Lab` that are not a plain column: each reads only a LabCard, all a lab loaded by id has. */
export const labResolvers = {
  id: (lab: LabCard, _: unknown, { province }: LabContext) => encodeGlobalId(province, 'lab', lab.id),
  province: (_: LabCard, __: unknown, { province }: LabContext) => province.code,
  partnerProvince: (lab: LabCard) => (lab.partnerProvince ? PROVINCES[lab.partnerProvince].code : null),
  retired: (lab: LabCard) => lab.retiredAt !== null,
  /**
   * Own instruments, then the partner's as references `{ __typename, id }`:
   * the gateway asks the partner for their fields, so this province never
   * stores or serves the partner's data.
   */
  instruments: async (lab: LabCard, _: unknown, { loaders, partner }: LabContext) => {
    const [own, partnerIds] = await Promise.all([
      loaders.labInstruments.load(lab.id),
      lab.jointlyBuilt ? loaders.labPartnerInstruments.load(lab.id) : Promise.resolve([]),
    ]);
    const partnerType = `${partner.typePrefix}Instrument`;
    return [...own, ...partnerIds.map((id) => ({ __typename: partnerType, id }))];
  },
};

/** `<Province>Instrument.lab`: the lab an instrument stands in (plainly, when its page read it first: withPageLabs). */
export const instrumentLabResolvers = {
  lab: (instrument: InstrumentEntity, _: unknown, { loaders }: LabContext) => (instrument.labId ? loaders.labs.loadSettled(instrument.labId) : null),
};

/**
 * Wraps a page of instruments (`<Province>Registry.instruments`): when its instruments are asked their `lab`, the
 * page's labs are read before the instruments are answered, in the one statement the loader would batch them into
 * anyway, so that every instrument answers its `lab` plainly instead of with a promise of its own.
 */
export function withPageLabs<TSource, TArgs, TContext, TPage extends { readonly edges: readonly { readonly node: InstrumentEntity }[] }>(
  page: (source: TSource, args: TArgs, context: TContext, info: GraphQLResolveInfo) => Promise<TPage>,
): (source: TSource, args: TArgs, context: TContext & { readonly loaders: Pick<LabLoaders, 'labs'> }, info: GraphQLResolveInfo) => Promise<TPage> {
  return async (source, args, context, info) => {
    const connection = await page(source, args, context, info);
    if (selectedFieldNames(info, ['edges', 'node']).has('lab')) {
      const labIds = new Set<string>();
      for (const { node } of connection.edges) if (node.labId) labIds.add(node.labId);
      if (labIds.size > 0) await context.loaders.labs.loadMany([...labIds]);
    }
    return connection;
  };
}

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
