import { z } from 'zod';
import { chinaDay, input } from '../../../../shared/src';
import { FUNDING_SOURCES } from '../domain/registryTypes';
import { classificationCodeProblem } from './nationalClassification';

/**
 * The standard metadata of an instrument (GB/T 30523 core metadata; Chongqing DB50/T 1014.3), as a province admin
 * writes it through the API or a registry file: every field optional (instruments registered before the standard
 * have none), each value checked. Rules between fields are in `checkMetadata`, run again on the merged row of an
 * update.
 */

/** Fen as a string of digits: up to 10^15 fen (ten trillion yuan) is exact in a bigint and in JSON text. */
const MAX_FEN_DIGITS = 15;
const EARLIEST_DAY = '1950-01-01';
export const MAX_METADATA_TEXT = 2_000;

const fen = z
  .string()
  .nullish()
  .transform((value) => (value == null || value.trim() === '' ? null : value.trim()))
  .pipe(
    z
      .string()
      .regex(/^(0|[1-9]\d*)$/, { message: 'must be a whole number of fen written in digits, e.g. "450000000" for 4,500,000.00 yuan' })
      .max(MAX_FEN_DIGITS, { message: `must be at most ${MAX_FEN_DIGITS} digits` })
      .nullable(),
  );

/** A calendar day in China time, not in the future. */
const pastDay = z
  .string()
  .nullish()
  .transform((value) => (value == null || value.trim() === '' ? null : value.trim()))
  .pipe(
    z.iso
      .date({ message: 'must be a date written YYYY-MM-DD, e.g. 2021-06-30' })
      .refine((day) => day >= EARLIEST_DAY, { message: `must be on or after ${EARLIEST_DAY}` })
      .refine((day) => day <= chinaDay(new Date()), { message: 'must not be in the future (China time)' })
      .nullable(),
  );

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** A current ISO 3166-1 region that is a country or territory (not a grouping such as EU or a private-use code). */
const isCountry = (code: string) => !NOT_COUNTRIES.has(code) && !/^(Q[M-Z]|X.|AA)$/.test(code) && regionNames.of(code) !== code;

const optionalCode = (schema: z.ZodType<string, string>) =>
  z
    .string()
    .nullish()
    .transform((value) => (value == null || value.trim() === '' ? null : value.trim()))
    .pipe(schema.nullable());

export const metadataFields = {
  /** Original value (原值) in fen. */
  originalValueFen: fen,
  fundingSource: z.enum(FUNDING_SOURCES, { message: `must be one of ${FUNDING_SOURCES.join(', ')}` }).nullish().transform((value) => value ?? null),
  purchaseDate: pastDay,
  commissioningDate: pastDay,
  countryOfManufacture: optionalCode(
    z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'must be a two-letter ISO 3166-1 country code in capitals, e.g. CN, DE, US' })
      .refine(isCountry, { message: 'is not an ISO 3166-1 country code (e.g. CN, DE, JP, US)' }),
  ),
  classificationCode: optionalCode(
    z.string().superRefine((code, context) => {
      const problem = classificationCodeProblem(code);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  ),
  mainSpecifications: input.optionalText(MAX_METADATA_TEXT),
  mainFunctions: input.optionalText(MAX_METADATA_TEXT),
  sharingContactName: input.optionalText(100),
  sharingContactPhone: optionalCode(
    z.string().regex(/^\+?\d[\d -]{5,30}\d$/, { message: 'must be a telephone number of digits, spaces and dashes, e.g. 028-85401234 or +86 28 8540 1234' }),
  ),
  sharingContactEmail: optionalCode(z.string().max(200, { message: 'must be at most 200 characters' }).pipe(z.email({ message: 'must be an e-mail address' }))),
};

/** The metadata fields whose rules involve each other. */
export interface InstrumentMetadataRules {
  purchaseDate?: string | null;
  commissioningDate?: string | null;
  sharingContactName?: string | null;
  sharingContactPhone?: string | null;
  sharingContactEmail?: string | null;
}

const isoDay = z.iso.date();
const isDay = (day: string | null | undefined): day is string => !!day && isoDay.safeParse(day).success;

export function checkMetadata(value: InstrumentMetadataRules, context: z.RefinementCtx): void {
  // Compared only when both are real days: a bad one is already reported as such.
  if (isDay(value.purchaseDate) && isDay(value.commissioningDate) && value.commissioningDate < value.purchaseDate) {
    context.addIssue({ code: 'custom', path: ['commissioningDate'], message: `must not be before purchaseDate (${value.purchaseDate})` });
  }
  const reachable = !!(value.sharingContactPhone || value.sharingContactEmail);
  if (value.sharingContactName && !reachable) {
    context.addIssue({ code: 'custom', path: ['sharingContactPhone'], message: 'give a telephone number or an e-mail address (sharingContactEmail) for the sharing contact' });
  }
  if (!value.sharingContactName && reachable) {
    context.addIssue({ code: 'custom', path: ['sharingContactName'], message: 'must name the person or office the telephone number or e-mail address reaches' });
  }
}
