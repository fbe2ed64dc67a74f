import DataLoader from 'dataloader';
import type { OfferingEntity } from './OfferingEntity';
import type { OfferingPriceEntity } from './OfferingPriceEntity';
import type { OfferingRepository } from './OfferingRepository';

/** Per-request batching of offering reads. */
export function createOfferingLoaders(offerings: OfferingRepository) {
  return {
    offerings: new DataLoader<string, OfferingEntity | null>((ids) => offerings.findByIds(ids)),
    instrumentOfferings: new DataLoader<string, OfferingEntity[]>((instrumentIds) => offerings.activeOfInstruments(instrumentIds)),
    offeringPrices: new DataLoader<string, OfferingPriceEntity[]>((ids) => offerings.pricesOf(ids)),
  };
}

export type OfferingLoaders = ReturnType<typeof createOfferingLoaders>;
