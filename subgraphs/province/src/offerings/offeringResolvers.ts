import { chinaMidnight, customerCategory, decodeOwnGlobalId, encodeGlobalId, HOUR_MS, type ProvinceDefinition, type Viewer } from '../../../../shared/src';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { OfferingContext } from './OfferingContext';
import type { OfferingEntity } from './OfferingEntity';
import { priceAtHour, pricesOf, STANDARD_BAND, UNIT_OF_KIND, type OfferingKind } from './pricing';

/** The customer category prices are shown for: the caller's, or an anonymous caller's (academic from elsewhere). */
export function categoryOf(viewer: Viewer | null, province: ProvinceDefinition) {
  return customerCategory(viewer ?? { province: null, affiliation: null }, province.key);
}

/** Fields of `<Province>Offering` that are not a plain column of the same name. */
export const offeringResolvers = {
  id: (offering: OfferingEntity, _: unknown, { province }: OfferingContext) => encodeGlobalId(province, 'offering', offering.id),
  instrument: (offering: OfferingEntity, _: unknown, { loaders }: OfferingContext) =>
    offering.instrumentId ? loaders.instruments.load(offering.instrumentId) : null,
  lab: (offering: OfferingEntity, _: unknown, { loaders }: OfferingContext) => (offering.labId ? loaders.labs.loadSettled(offering.labId) : null),
  unit: (offering: OfferingEntity) => UNIT_OF_KIND[offering.kind],
  quoted: (offering: OfferingEntity) => UNIT_OF_KIND[offering.kind] === 'PROJECT',
  sampleForm: (offering: OfferingEntity) => offering.sampleForm,
  prices: async (offering: OfferingEntity, _: unknown, { loaders }: OfferingContext) =>
    (await loaders.offeringPrices.load(offering.id)).map((price) => ({ ...price, unit: UNIT_OF_KIND[offering.kind] })),
  /** The caller's category with the price that applies at `at` (default now), and every price of that category. */
  priceForMe: async (offering: OfferingEntity, { at }: { at?: Date | null }, context: OfferingContext) => {
    const category = categoryOf(context.viewer, context.province);
    const prices = await context.loaders.offeringPrices.load(offering.id);
    const instant = at ?? new Date();
    const hour = Math.floor((instant.getTime() - chinaMidnight(instant).getTime()) / HOUR_MS);
    const unit = UNIT_OF_KIND[offering.kind];
    const applying = unit === 'HOUR' ? priceAtHour(prices, category, hour) : pricesOf(prices, category).find((price) => price.band === STANDARD_BAND) ?? null;
    return {
      category,
      unit,
      quoted: unit === 'PROJECT',
      band: applying?.band ?? null,
      amountFen: applying?.amountFen ?? null,
      prices: pricesOf(prices, category).map((price) => ({ ...price, unit })),
    };
  },
};

/** `<Province>Instrument.offerings`: what is offered with it. */
export const instrumentOfferingResolvers = {
  offerings: (instrument: InstrumentEntity, _: unknown, { loaders }: OfferingContext) => loaders.instrumentOfferings.load(instrument.id),
};

/** Registry fields about offerings (public catalogue). */
export const offeringRegistryResolvers = {
  offering: (_: unknown, { id }: { id: string }, { province, loaders }: OfferingContext) =>
    loaders.offerings.load(decodeOwnGlobalId(id, 'offering', province).localId),
  offerings: (
    _: unknown,
    args: { kind?: OfferingKind | null; instrumentId?: string | null; labId?: string | null },
    { province, repositories }: OfferingContext,
  ) =>
    repositories.offerings.list({
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.instrumentId ? { instrumentId: decodeOwnGlobalId(args.instrumentId, 'instrument', province).localId } : {}),
      ...(args.labId ? { labId: decodeOwnGlobalId(args.labId, 'lab', province).localId } : {}),
    }),
};
