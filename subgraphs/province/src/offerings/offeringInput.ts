import { z } from 'zod';
import { CUSTOMER_CATEGORIES, input } from '../../../../shared/src';
import { keep, orDefault } from '../domain/registryInput';
import { OFFERING_KINDS, STANDARD_BAND, UNIT_OF_KIND, type OfferingKind, type PriceEntry } from './pricing';

// What a province admin may write into an offering and its price list.

/** The highest single price, in fen (1,000,000 yuan): sums of many stay exact integers. */
export const MAX_PRICE_FEN = 100_000_000;

const FIELD_TYPES = ['TEXT', 'NUMBER', 'BOOLEAN', 'DATE'] as const;

const sampleFieldSchema = z.object({
  name: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, { message: 'must be 1–40 letters, digits or _ starting with a small letter, such as organism' }),
  label: input.text(1, 100),
  type: z.enum(FIELD_TYPES),
  required: orDefault(z.boolean(), true),
});

const sampleFormSchema = z
  .array(sampleFieldSchema)
  .max(30, { message: 'must have at most 30 fields' })
  .refine((fields) => new Set(fields.map((field) => field.name)).size === fields.length, { message: 'must not name a field twice' });

export const priceSchema = z
  .object({
    category: z.enum(CUSTOMER_CATEGORIES),
    band: orDefault(z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'must be a band name such as STANDARD or EVENING' }), STANDARD_BAND),
    fromHour: input.int(0, 23).nullish().transform((value) => value ?? null),
    toHour: input.int(1, 24).nullish().transform((value) => value ?? null),
    amountFen: input.int(0, MAX_PRICE_FEN),
  })
  .superRefine((price, context) => {
    const standard = price.band === STANDARD_BAND;
    if (standard && (price.fromHour !== null || price.toHour !== null)) {
      context.addIssue({ code: 'custom', path: ['fromHour'], message: `the ${STANDARD_BAND} price applies at any hour: give no fromHour or toHour` });
    }
    if (!standard && (price.fromHour === null || price.toHour === null)) {
      context.addIssue({ code: 'custom', path: ['fromHour'], message: `a time band such as ${price.band} needs fromHour and toHour (local time, UTC+8)` });
    } else if (!standard && price.fromHour! >= price.toHour!) {
      context.addIssue({ code: 'custom', path: ['toHour'], message: 'must be after fromHour (a band stays within one day)' });
    }
  });

export const priceListSchema = z.array(priceSchema).max(40, { message: 'must have at most 40 prices' });

const offeringFields = {
  name: input.text(1, 200),
  nameZh: input.text(1, 200),
  turnaroundDays: input.int(1, 365).nullish().transform((value) => value ?? null),
  requirements: input.optionalText(2000),
  sampleForm: orDefault(sampleFormSchema, []),
};

export const offeringInputSchema = z.object({
  /** Global ids; the service decodes them and checks the instrument or lab. */
  instrumentId: z.string().nullish().transform((value) => value ?? null),
  labId: z.string().nullish().transform((value) => value ?? null),
  kind: z.enum(OFFERING_KINDS),
  ...offeringFields,
  prices: orDefault(priceListSchema, []),
});
export type OfferingInput = z.infer<typeof offeringInputSchema>;

export const offeringUpdateSchema = z.object({
  name: keep(offeringFields.name),
  nameZh: keep(offeringFields.nameZh),
  turnaroundDays: offeringFields.turnaroundDays.optional(),
  requirements: offeringFields.requirements.optional(),
  sampleForm: keep(sampleFormSchema),
  active: keep(z.boolean()),
});
export type OfferingUpdate = z.infer<typeof offeringUpdateSchema>;

/**
 * The rules between an offering's fields and its price list, on the row as it will be: each problem with the
 * argument path it concerns. Priced kinds (per hour, per sample) need a standard price for every customer
 * category, so nobody is left without one; quoted kinds may show indicative prices. Time bands are for hourly
 * use only, and a category's bands must not overlap.
 */
export function offeringProblems(kind: OfferingKind, provider: 'instrument' | 'lab', sampleForm: readonly unknown[], prices: readonly PriceEntry[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const unit = UNIT_OF_KIND[kind];
  if (kind === 'SELF_OPERATED' && provider !== 'instrument') problems.push({ path: 'labId', message: 'self-operated use is offered with an instrument: give instrumentId' });
  if (kind === 'SAMPLE_TESTING' && sampleForm.length === 0) problems.push({ path: 'sampleForm', message: 'sample testing needs a sample form: at least one field a request must give' });
  if (kind !== 'SAMPLE_TESTING' && sampleForm.length > 0) problems.push({ path: 'sampleForm', message: 'only sample testing has a sample form' });
  const keys = new Set<string>();
  prices.forEach((price, index) => {
    const key = `${price.category}/${price.band}`;
    if (keys.has(key)) problems.push({ path: `prices.${index}`, message: `${price.category} has two ${price.band} prices` });
    keys.add(key);
    if (price.fromHour !== null && unit !== 'HOUR') problems.push({ path: `prices.${index}.band`, message: 'time bands are for hourly use only' });
  });
  for (const category of CUSTOMER_CATEGORIES) {
    const own = prices.filter((price) => price.category === category);
    if (unit !== 'PROJECT' && !own.some((price) => price.fromHour === null)) {
      problems.push({ path: 'prices', message: `a ${STANDARD_BAND} price for ${category} is missing: a priced offering has one for every category` });
    }
    const bands = own.filter((price) => price.fromHour !== null).sort((a, b) => a.fromHour! - b.fromHour!);
    for (let i = 1; i < bands.length; i++) {
      if (bands[i]!.fromHour! < bands[i - 1]!.toHour!) {
        problems.push({ path: 'prices', message: `${category}'s bands ${bands[i - 1]!.band} and ${bands[i]!.band} overlap` });
      }
    }
  }
  return problems;
}
