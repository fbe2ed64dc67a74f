import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProvinceKey } from '../../../../shared/src';
import { INSTRUMENT_CATEGORIES } from './categories';
import { provinceSeedSchema, type ProvinceSeed } from './provinceSeedSchema';

/** `<province>.json` beside this file, e.g. `sichuan.json`. */
export const seedFileOf = (province: ProvinceKey): string => join(__dirname, `${province}.json`);

/**
 * One province's demo data, read from its own file only (a process never loads another
 * province's seed) and checked against the schema; the categories are the shared list.
 */
export function loadProvinceSeed(province: ProvinceKey): ProvinceSeed {
  const file = seedFileOf(province);
  const parsed = provinceSeedSchema.safeParse({ categories: INSTRUMENT_CATEGORIES, ...(JSON.parse(readFileSync(file, 'utf8')) as object) });
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  if (parsed.data.province !== province) throw new Error(`${file}: holds the seed of ${parsed.data.province}, not ${province}`);
  return parsed.data;
}
