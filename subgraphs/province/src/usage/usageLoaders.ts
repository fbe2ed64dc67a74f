import DataLoader from 'dataloader';
import type { UsageRepository } from './UsageRepository';

/** Per-request batching: the ratings of every booking of a page in one statement. */
export function createUsageLoaders(usage: UsageRepository) {
  return {
    bookingRatings: new DataLoader((bookingIds: readonly string[]) => usage.ratingsOf(bookingIds)),
  };
}

export type UsageLoaders = ReturnType<typeof createUsageLoaders>;
