import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { seedCategorySchema, type SeedCategory } from '../seeds/provinceSeedSchema';

/** The default of `load-categories`: the top-level classes of the national classification of large scientific instruments. */
export const NATIONAL_CATEGORIES_FILE = join(__dirname, 'nationalCategories.json');

const categoryFileSchema = z
  .array(seedCategorySchema)
  .min(1, { message: 'expected at least one category' })
  .superRefine((categories, context) => {
    const seen = new Set<string>();
    for (const [index, { code }] of categories.entries()) {
      if (seen.has(code)) context.addIssue({ code: 'custom', path: [index, 'code'], message: `${code} appears more than once` });
      seen.add(code);
    }
  });

/**
 * Reads a categories file (`[{ "code", "nameEn", "nameZh" }, …]`, the shape of `seeds/categories.json`)
 * and checks every entry before anything is written, naming the first bad ones by position.
 */
export function readCategoryFile(file: string): SeedCategory[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the categories file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = categoryFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const where = (path: readonly PropertyKey[]) => path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('') || 'the file';
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${where(issue.path)}: ${issue.message}`);
  throw new Error(`${file}: ${problems.join('; ')}`);
}
