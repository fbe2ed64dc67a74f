import { z } from 'zod';
import { badUserInput } from '../errors/DomainError';

/**
 * Validates a mutation's input with a zod schema. Every problem is listed in
 * one BAD_USER_INPUT error whose message names the argument path, e.g.
 * `input.hourlyFee: must be at most 100000`; `extensions.fields` carries the
 * same as data for forms.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: [argument, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw badUserInput(fields.map((field) => `${field.path}: ${field.message}`).join('; '), { fields });
}

/** Field types with messages a person can act on. */
export const input = {
  /** Trimmed text of a bounded length; control characters refused. */
  text: (min: number, max: number) =>
    z
      .string()
      .transform((value) => value.trim())
      .pipe(
        z
          .string()
          .min(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
          .max(max, { message: `must be at most ${max} characters` })
          .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), { message: 'must not contain control characters' }),
      ),
  /** Optional text: null, undefined or blank become null. */
  optionalText: (max: number) =>
    z
      .string()
      .nullish()
      .transform((value) => (value == null || value.trim() === '' ? null : value.trim()))
      .pipe(
        z
          .string()
          .max(max, { message: `must be at most ${max} characters` })
          .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), { message: 'must not contain control characters' })
          .nullable(),
      ),
  /** A caller's idempotency key, compared exactly as sent: nothing trimmed, nothing that needs escaping. */
  idempotencyKey: () =>
    z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, { message: 'must be 8–100 letters, digits or . _ : - (a UUID works well)' }),
  int: (min: number, max: number) =>
    z.number().int({ message: 'must be a whole number' }).min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }),
  money: (max: number) =>
    z
      .number()
      .min(0, { message: 'must not be negative' })
      .max(max, { message: `must be at most ${max}` })
      // Checked on the number's shortest decimal form: `Math.round(v * 100) === v * 100` refuses 0.29 and 1.15 (binary floating point).
      .refine((value) => /^-?\d+(\.\d{1,2})?$/.test(String(value)), { message: 'must have at most two decimals' }),
};
