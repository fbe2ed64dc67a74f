import { z } from 'zod';
import { badUserInput, input, parseInput } from '../../../../shared/src';
import { distinct, keep, MAX_DESCRIPTION, orDefault } from '../domain/registryInput';
import { checkMetadata, metadataFields, type InstrumentMetadataRules } from './instrumentMetadata';

// What a province admin may write into an instrument; shared rules are in domain/registryInput.ts.

const SERVICES = ['TESTING', 'RND', 'CONSULTATION'] as const;

/** The highest fee per hour, in yuan and in fen. */
const MAX_HOURLY_FEE_YUAN = 100_000;
const MAX_HOURLY_FEE_FEN = MAX_HOURLY_FEE_YUAN * 100;

const bookingMinutes = input.int(30, 1440).refine((value) => value % 30 === 0, { message: 'must be a multiple of 30' });

const instrumentFields = {
  name: input.text(1, 200),
  nameZh: input.text(1, 200),
  category: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'must be a category code such as GENE_SEQUENCER (see "categories")' }),
  model: input.optionalText(120),
  manufacturer: input.optionalText(120),
  institution: input.text(1, 200),
  /** A global id; the service decodes it and checks the lab. */
  labId: z.string().nullish().transform((value) => value ?? null),
  location: input.optionalText(200),
  openForSharing: z.boolean(),
  hourlyFee: input.money(MAX_HOURLY_FEE_YUAN),
  services: z
    .array(z.enum(SERVICES))
    .min(1, { message: 'must name at least one of TESTING, RND, CONSULTATION' })
    .refine(distinct, { message: 'must not name a service twice' }),
  openFromHour: input.int(0, 24),
  openToHour: input.int(0, 24),
  minBookingMinutes: bookingMinutes,
  maxBookingMinutes: bookingMinutes,
  description: input.optionalText(MAX_DESCRIPTION),
  ...metadataFields,
};

/**
 * The input with its fee per hour as the column keeps it (yuan, two decimals): `hourlyFeeFen` (integer fen, exact)
 * turned into yuan, or the deprecated `hourlyFee` in yuan as given. Giving both is refused, since they could disagree;
 * a new instrument needs one of them.
 */
export function withFeeInYuan(raw: unknown, argument: string, required: boolean): unknown {
  if (raw === null || typeof raw !== 'object') return raw;
  const { hourlyFeeFen, ...rest } = raw as Record<string, unknown>;
  const yuan = rest['hourlyFee'];
  if (hourlyFeeFen == null) {
    if (required && yuan == null) throw badUserInput(`${argument}.hourlyFeeFen: give the fee per hour in fen (1 yuan = 100 fen).`, { argument: `${argument}.hourlyFeeFen` });
    return rest;
  }
  if (yuan != null) {
    throw badUserInput(`${argument}.hourlyFee: give the fee once, as hourlyFeeFen (in fen); hourlyFee (in yuan) is deprecated.`, { argument: `${argument}.hourlyFee` });
  }
  const fen = parseInput(input.int(0, MAX_HOURLY_FEE_FEN), hourlyFeeFen, `${argument}.hourlyFeeFen`);
  return { ...rest, hourlyFee: fen / 100 };
}

/** The fields whose rules involve each other. */
export interface InstrumentLimits extends InstrumentMetadataRules {
  openFromHour: number;
  openToHour: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
}

function checkLimits(limits: InstrumentLimits, context: z.RefinementCtx) {
  checkMetadata(limits, context);
  if (limits.openFromHour >= limits.openToHour) {
    context.addIssue({ code: 'custom', path: ['openToHour'], message: `must be later than openFromHour (${limits.openFromHour})` });
  }
  if (limits.minBookingMinutes > limits.maxBookingMinutes) {
    context.addIssue({ code: 'custom', path: ['maxBookingMinutes'], message: `must be at least minBookingMinutes (${limits.minBookingMinutes})` });
  }
}

export const instrumentInputSchema = z
  .object({
    assetCode: z
      .string()
      .transform((value) => value.trim())
      .pipe(z.string().regex(/^[A-Za-z0-9-]{2,40}$/, { message: 'must be 2–40 letters, digits and dashes, e.g. SC-SEQ-101' })),
    ...instrumentFields,
    openForSharing: orDefault(z.boolean(), true),
    minBookingMinutes: orDefault(bookingMinutes, 30),
    maxBookingMinutes: orDefault(bookingMinutes, 480),
  })
  .superRefine(checkLimits);

export type InstrumentInput = z.infer<typeof instrumentInputSchema>;

export const instrumentUpdateSchema = z.object({
  name: keep(instrumentFields.name),
  nameZh: keep(instrumentFields.nameZh),
  category: keep(instrumentFields.category),
  model: instrumentFields.model.optional(),
  manufacturer: instrumentFields.manufacturer.optional(),
  institution: keep(instrumentFields.institution),
  labId: instrumentFields.labId.optional(),
  location: instrumentFields.location.optional(),
  status: keep(z.enum(['IN_SERVICE', 'MAINTENANCE'], { message: 'must be IN_SERVICE or MAINTENANCE; retire an instrument with its retire mutation' })),
  openForSharing: keep(instrumentFields.openForSharing),
  hourlyFee: keep(instrumentFields.hourlyFee),
  services: keep(instrumentFields.services),
  openFromHour: keep(instrumentFields.openFromHour),
  openToHour: keep(instrumentFields.openToHour),
  minBookingMinutes: keep(instrumentFields.minBookingMinutes),
  maxBookingMinutes: keep(instrumentFields.maxBookingMinutes),
  description: instrumentFields.description.optional(),
  ...Object.fromEntries(Object.entries(metadataFields).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof metadataFields]: z.ZodOptional<(typeof metadataFields)[K]>;
  },
});

export type InstrumentUpdate = z.infer<typeof instrumentUpdateSchema>;

/** The cross-field rules on an instrument as it would be after an update. */
export const instrumentLimitsSchema = z
  .object({
    openFromHour: z.number(), openToHour: z.number(), minBookingMinutes: z.number(), maxBookingMinutes: z.number(),
    purchaseDate: z.string().nullable(), commissioningDate: z.string().nullable(),
    sharingContactName: z.string().nullable(), sharingContactPhone: z.string().nullable(), sharingContactEmail: z.string().nullable(),
  })
  .superRefine(checkLimits);

/** The instrument fields whose rules involve each other, checked together on the row an update leaves. */
export const INSTRUMENT_RULE_FIELDS = [
  'openFromHour', 'openToHour', 'minBookingMinutes', 'maxBookingMinutes',
  'purchaseDate', 'commissioningDate', 'sharingContactName', 'sharingContactPhone', 'sharingContactEmail',
] as const;
