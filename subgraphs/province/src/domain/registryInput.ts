import { z } from 'zod';
import { input } from '../../../../shared/src';

/**
 * Rules shared by what a province admin may write into instruments and labs
 * (instruments/instrumentInput.ts, labs/labInput.ts). Lengths follow the
 * columns; rules between fields are checked again on the merged row when an
 * update changes only one side of them.
 */

export const MAX_DESCRIPTION = 4_000;

/** A value an update may omit (kept) but not null: the column has no "empty" state. */
export const keep = <T extends z.ZodType>(schema: T) =>
  z.any().refine((value) => value !== null, { message: 'cannot be null: omit the field to keep the current value' }).pipe(schema).optional();

/** A value with a GraphQL default: null means the default too. */
export const orDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.any().optional().transform((value) => value ?? fallback).pipe(schema);

export const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/** Why an instrument or lab is retired. */
export const reasonSchema = input.text(3, 500);
