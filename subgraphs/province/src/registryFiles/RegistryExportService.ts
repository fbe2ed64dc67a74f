import type { CategoryRepository } from '../instruments/CategoryRepository';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import type { LabRepository } from '../labs/LabRepository';
import { instrumentRow } from './registryColumns';

/** Instruments read per statement: memory holds one page, however large the registry. */
const PAGE = 1_000;

/**
 * The registry as rows of a registry file, in asset-code order: every instrument not retired (a retired one keeps
 * its history here but leaves the registry), with its category's names and its lab. Importing what this writes
 * gives the same registry back, so the export is the import's round trip.
 */
export class RegistryExportService {
  constructor(private readonly repositories: { instruments: InstrumentRepository; categories: CategoryRepository; labs: LabRepository }) {}

  async *rows(): AsyncGenerator<string[]> {
    const categories = new Map((await this.repositories.categories.list(true)).map((category) => [category.code, category]));
    let after: string | null = null;
    for (;;) {
      const page = await this.repositories.instruments.pageByAssetCode(after, PAGE);
      if (page.length === 0) return;
      const labIds = [...new Set(page.flatMap((instrument) => (instrument.labId ? [instrument.labId] : [])))];
      const labs = new Map((await this.repositories.labs.findByIds(labIds)).flatMap((lab) => (lab ? [[lab.id, lab] as const] : [])));
      for (const instrument of page) {
        yield instrumentRow(instrument, categories.get(instrument.categoryCode), instrument.labId ? labs.get(instrument.labId) : null);
      }
      after = page.at(-1)!.assetCode;
    }
  }
}
