import { z } from 'zod';
import { input, type ProvinceDefinition } from '../../../../shared/src';

/**
 * What a province admin may write into instruments and labs. Lengths follow
 * the columns; rules between fields are checked again on the merged row when
 * an update changes only one side of them.
 */

const SERVICES = ['TESTING', 'RND', 'CONSULTATION'] as const;
const MAX_DESCRIPTION = 4_000;
const MAX_PARTNER_ITEMS = 50;

/** A value an update may omit (kept) but not null: the column has no "empty" state. */
const keep = <T extends z.ZodType>(schema: T) =>
  z.any().refine((value) => value !== null, { message: 'cannot be null: omit the field to keep the current value' }).pipe(schema).optional();

/** A value with a GraphQL default: null means the default too. */
const orDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.any().optional().transform((value) => value ?? fallback).pipe(schema);

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

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
  hourlyFee: input.money(100_000),
  services: z
    .array(z.enum(SERVICES))
    .min(1, { message: 'must name at least one of TESTING, RND, CONSULTATION' })
    .refine(distinct, { message: 'must not name a service twice' }),
  openFromHour: input.int(0, 24),
  openToHour: input.int(0, 24),
  minBookingMinutes: bookingMinutes,
  maxBookingMinutes: bookingMinutes,
  description: input.optionalText(MAX_DESCRIPTION),
};

/** The fields whose rules involve each other. */
export interface InstrumentLimits {
  openFromHour: number;
  openToHour: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
}

function checkLimits(limits: InstrumentLimits, context: z.RefinementCtx) {
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
});

export type InstrumentUpdate = z.infer<typeof instrumentUpdateSchema>;

/** The cross-field rules on an instrument as it would be after an update. */
export const instrumentLimitsSchema = z
  .object({ openFromHour: z.number(), openToHour: z.number(), minBookingMinutes: z.number(), maxBookingMinutes: z.number() })
  .superRefine(checkLimits);

export const reasonSchema = input.text(3, 500);

const labFields = {
  name: input.text(1, 200),
  nameZh: input.text(1, 200),
  institution: input.text(1, 200),
  city: input.text(1, 80),
  level: z.enum(['NATIONAL', 'PROVINCIAL']),
  partnerInstitutions: z
    .array(input.text(1, 200))
    .max(MAX_PARTNER_ITEMS, { message: `must list at most ${MAX_PARTNER_ITEMS} institutions` })
    .refine(distinct, { message: 'must not list an institution twice' }),
  /** Global ids; the service decodes them and asks the partner. */
  partnerInstrumentIds: z
    .array(z.string())
    .max(MAX_PARTNER_ITEMS, { message: `must list at most ${MAX_PARTNER_ITEMS} instruments` })
    .refine(distinct, { message: 'must not list an instrument twice' }),
  description: input.optionalText(MAX_DESCRIPTION),
};

/** A new lab of `province`; a joint lab names the partner province, never its own. */
export function labInputSchema(province: ProvinceDefinition, partner: ProvinceDefinition) {
  return z
    .object({
      ...labFields,
      partnerProvince: z.enum(['SICHUAN', 'CHONGQING']).nullish().transform((value) => value ?? null),
      partnerInstitutions: orDefault(labFields.partnerInstitutions, []),
      partnerInstrumentIds: orDefault(labFields.partnerInstrumentIds, []),
    })
    .superRefine((lab, context) => {
      if (lab.partnerProvince === province.code) {
        context.addIssue({
          code: 'custom',
          path: ['partnerProvince'],
          message: `must be ${partner.code}: a ${province.nameEn} lab is built jointly with ${partner.nameEn}; leave it out for a lab of ${province.nameEn} alone`,
        });
      }
      if (lab.partnerProvince === null && (lab.partnerInstitutions.length > 0 || lab.partnerInstrumentIds.length > 0)) {
        context.addIssue({
          code: 'custom',
          path: ['partnerProvince'],
          message: `must be ${partner.code} for a lab that lists partner institutions or instruments`,
        });
      }
    });
}

export type LabInput = z.infer<ReturnType<typeof labInputSchema>>;

export const labUpdateSchema = z.object({
  name: keep(labFields.name),
  nameZh: keep(labFields.nameZh),
  institution: keep(labFields.institution),
  city: keep(labFields.city),
  level: keep(labFields.level),
  partnerInstitutions: keep(labFields.partnerInstitutions),
  partnerInstrumentIds: keep(labFields.partnerInstrumentIds),
  description: labFields.description.optional(),
});

export type LabUpdate = z.infer<typeof labUpdateSchema>;
