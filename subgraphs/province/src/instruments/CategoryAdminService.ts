import { conflict, notFound, parseInput } from '../../../../shared/src';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { differences } from '../domain/registryChanges';
import { reasonSchema } from '../domain/registryInput';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { isUniqueViolation } from '../persistence/databaseErrors';
import type { CategoryEntity } from './CategoryEntity';
import { categoryCodeSchema, categoryInputSchema, categoryRenameSchema } from './categoryInput';
import type { InstrumentTransaction } from './InstrumentAdminService';

/**
 * A province admin's management of the registry's instrument categories: a registry starts with none (outside
 * the demo), and an instrument needs one. Codes never change, since filters, statistics and registry files name
 * categories by code; names do. Each change and its audit record commit together.
 */
export class CategoryAdminService {
  constructor(private readonly unitOfWork: UnitOfWork<Pick<InstrumentTransaction, 'categories' | 'instruments' | 'audit'>>) {}

  async createCategory(admin: ProvinceAdmin, raw: unknown): Promise<CategoryEntity> {
    const input = parseInput(categoryInputSchema, raw, 'input');
    return this.unitOfWork.run(async (tx) => {
      const existing = await tx.categories.lock(input.code, 'update');
      if (existing) throw this.codeTaken(input.code, existing);
      let category: CategoryEntity;
      try {
        category = await tx.categories.insert(input);
      } catch (error) {
        if (isUniqueViolation(error)) throw this.codeTaken(input.code, null);
        throw error;
      }
      await tx.audit.record(admin, { action: 'category.created', entityType: 'category', entityId: input.code, details: { ...input } });
      return category;
    });
  }

  async renameCategory(admin: ProvinceAdmin, rawCode: unknown, raw: unknown): Promise<CategoryEntity> {
    const code = parseInput(categoryCodeSchema, rawCode, 'code');
    const names = parseInput(categoryRenameSchema, raw, 'input');
    return this.unitOfWork.run(async (tx) => {
      const current = await this.locked(tx, code);
      const changes = { nameEn: names.nameEn ?? current.nameEn, nameZh: names.nameZh ?? current.nameZh };
      const diff = differences(current, changes);
      if (Object.keys(diff).length === 0) return current;
      const category = await tx.categories.update(code, changes);
      await tx.audit.record(admin, { action: 'category.renamed', entityType: 'category', entityId: code, details: diff });
      return category;
    });
  }

  async retireCategory(admin: ProvinceAdmin, rawCode: unknown, rawReason: unknown, now = new Date()): Promise<CategoryEntity> {
    const code = parseInput(categoryCodeSchema, rawCode, 'code');
    const reason = parseInput(reasonSchema, rawReason, 'reason');
    return this.unitOfWork.run(async (tx) => {
      // Locked for update: an instrument being filed under it holds a share lock, so it commits before the count.
      const current = await this.locked(tx, code);
      if (current.retiredAt) throw conflict(`The category ${code} is already retired.`, { code });
      const inUse = await tx.instruments.countNotRetiredInCategory(code);
      if (inUse > 0) {
        throw conflict(
          `The category ${code} still has ${inUse} instrument(s) that are not retired; file them under another category (update the instruments' category) or retire them first.`,
          { code, instruments: inUse },
        );
      }
      const category = await tx.categories.update(code, { retiredAt: now });
      await tx.audit.record(admin, { action: 'category.retired', entityType: 'category', entityId: code, details: { reason } });
      return category;
    });
  }

  private async locked(tx: Pick<InstrumentTransaction, 'categories'>, code: string): Promise<CategoryEntity> {
    const category = await tx.categories.lock(code, 'update');
    if (!category) throw notFound(`This registry has no category ${code}; see "categories" (includeRetired: true) for the codes.`, { code });
    return category;
  }

  private codeTaken(code: string, existing: CategoryEntity | null) {
    const retired = existing?.retiredAt ? ' (retired)' : '';
    return conflict(`The category ${code}${retired} already exists; codes are unique. Rename it instead.`, {
      argument: 'input.code',
    });
  }
}

