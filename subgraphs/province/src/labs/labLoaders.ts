import DataLoader from 'dataloader';
import type { LabEntity } from './LabEntity';
import type { LabRepository } from './LabRepository';

/** Per-request batching of lab reads. */
export function createLabLoaders(labs: LabRepository) {
  return {
    labs: new DataLoader<string, LabEntity | null>((ids) => labs.findByIds(ids)),
    labPartnerInstruments: new DataLoader<string, string[]>((labIds) => labs.partnerInstrumentIds(labIds)),
  };
}

export type LabLoaders = ReturnType<typeof createLabLoaders>;
