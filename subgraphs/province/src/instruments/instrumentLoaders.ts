import DataLoader from 'dataloader';
import type { InstrumentEntity } from './InstrumentEntity';
import type { InstrumentRepository } from './InstrumentRepository';

/** Per-request batching of instrument reads: however many are asked in one request, each kind costs one SQL statement. */
export function createInstrumentLoaders(instruments: InstrumentRepository) {
  return {
    instruments: new DataLoader<string, InstrumentEntity | null>((ids) => instruments.findByIds(ids)),
    labInstruments: new DataLoader<string, InstrumentEntity[]>((labIds) => instruments.findByLabIds(labIds)),
  };
}

export type InstrumentLoaders = ReturnType<typeof createInstrumentLoaders>;
