import DataLoader from 'dataloader';
import { SettlingDataLoader } from '../../../../shared/src';
import type { LabCard, LabRepository } from './LabRepository';

/** Per-request batching of lab reads. */
export function createLabLoaders(labs: LabRepository) {
  return {
    /** Settling: an instrument's `lab`, once its page's labs are read, answers without a promise (withPageLabs). */
    labs: new SettlingDataLoader<string, LabCard | null>((ids) => labs.findCardsByIds(ids)),
    labPartnerInstruments: new DataLoader<string, string[]>((labIds) => labs.partnerInstrumentIds(labIds)),
  };
}

export type LabLoaders = ReturnType<typeof createLabLoaders>;
