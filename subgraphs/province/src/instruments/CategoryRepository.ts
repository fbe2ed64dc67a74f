import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import { CategoryEntity } from './CategoryEntity';

/** What an upsert did to each code it was given. */
export interface CategoryUpsert {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

export class CategoryRepository {
  private readonly categories: Repository<CategoryEntity>;

  constructor(manager: EntityManager) {
    this.categories = manager.getRepository(CategoryEntity);
  }

  list(includeRetired = true): Promise<CategoryEntity[]> {
    return this.categories.find({ where: includeRetired ? {} : { retiredAt: IsNull() }, order: { code: 'ASC' } });
  }

  /**
   * The category, locked until the transaction ends: `update` for a change to it, `share` for an instrument
   * filed under it (so it cannot be retired before the instrument commits).
   */
  lock(code: string, mode: 'update' | 'share'): Promise<CategoryEntity | null> {
    return this.categories
      .createQueryBuilder('c')
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .where('c.code = :code', { code })
      .getOne();
  }

  /** Categories by code, share-locked until the transaction ends (instruments are filed under them). */
  lockByCodes(codes: readonly string[]): Promise<CategoryEntity[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.categories.createQueryBuilder('c').setLock('pessimistic_read').where('c.code IN (:...codes)', { codes: [...codes] }).getMany();
  }

  async insert(row: Pick<CategoryEntity, 'code' | 'nameEn' | 'nameZh'>): Promise<CategoryEntity> {
    await this.categories.insert({ ...row, retiredAt: null });
    return this.categories.findOneByOrFail({ code: row.code });
  }

  async update(code: string, changes: Partial<Pick<CategoryEntity, 'nameEn' | 'nameZh' | 'retiredAt'>>): Promise<CategoryEntity> {
    await this.categories.update({ code }, changes);
    return this.categories.findOneByOrFail({ code });
  }

  /**
   * Adds the categories whose codes are new and renames those whose names changed, by code;
   * categories not in the list are left alone (instruments may still be filed under them).
   */
  async upsertAll(categories: readonly Pick<CategoryEntity, 'code' | 'nameEn' | 'nameZh'>[]): Promise<CategoryUpsert> {
    const existing = new Map((await this.categories.findBy({ code: In(categories.map((c) => c.code)) })).map((row) => [row.code, row]));
    const sameNames = (category: (typeof categories)[number]) => {
      const row = existing.get(category.code);
      return !!row && row.nameEn === category.nameEn && row.nameZh === category.nameZh;
    };
    const changed = categories.filter((category) => !sameNames(category));
    if (changed.length > 0) await this.categories.upsert(changed.map((c) => ({ code: c.code, nameEn: c.nameEn, nameZh: c.nameZh })), ['code']);
    return {
      added: changed.filter((c) => !existing.has(c.code)).map((c) => c.code),
      updated: changed.filter((c) => existing.has(c.code)).map((c) => c.code),
      unchanged: categories.filter(sameNames).map((c) => c.code),
    };
  }
}
