import { z } from 'zod';
import categories from './categories.json';
import { seedCategorySchema, type SeedCategory } from './provinceSeedSchema';

/** Instrument categories shared by every province's seed (same codes and names in each registry), from `categories.json`. */
export const INSTRUMENT_CATEGORIES: readonly SeedCategory[] = z.array(seedCategorySchema).parse(categories);
