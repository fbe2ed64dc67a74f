import DataLoader from 'dataloader';
import type { QualificationRepository } from './QualificationRepository';

/** Per-request batching: the rules of every instrument of a page in one statement. */
export function createQualificationLoaders(qualifications: QualificationRepository) {
  return {
    bookingRules: new DataLoader((instrumentIds: readonly string[]) => qualifications.rulesOf(instrumentIds)),
  };
}

export type QualificationLoaders = ReturnType<typeof createQualificationLoaders>;
