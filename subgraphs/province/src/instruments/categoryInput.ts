import { z } from 'zod';

// What a province admin may write into an instrument category (mutations, registry files, the categories file
// of `npm run admin -- load-categories`, the seeds); sized as the table's columns.

export const CATEGORY_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
const CATEGORY_CODE_MESSAGE = 'must be 2–40 capital letters, digits and _, starting with a letter, e.g. GENE_SEQUENCER';

export const categoryCodeSchema = z.string().regex(CATEGORY_CODE, { message: CATEGORY_CODE_MESSAGE });
const categoryName = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' }));

export const categoryInputSchema = z.strictObject({
  /** Stable code used in filters, e.g. `GENE_SEQUENCER`. */
  code: categoryCodeSchema,
  nameEn: categoryName,
  nameZh: categoryName,
});

export type CategoryInput = z.infer<typeof categoryInputSchema>;

/** A rename: either name or both; omitted ones stay. */
export const categoryRenameSchema = z
  .object({ nameEn: categoryName.nullish(), nameZh: categoryName.nullish() })
  .refine((names) => names.nameEn != null || names.nameZh != null, { message: 'give nameEn, nameZh or both', path: ['nameEn'] });
