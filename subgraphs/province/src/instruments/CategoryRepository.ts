import type { EntityManager, Repository } from 'typeorm';
import { CategoryEntity } from './CategoryEntity';

export class CategoryRepository {
  private readonly categories: Repository<CategoryEntity>;

  constructor(manager: EntityManager) {
    this.categories = manager.getRepository(CategoryEntity);
  }

  list(): Promise<CategoryEntity[]> {
    return this.categories.find({ order: { code: 'ASC' } });
  }

  exists(code: string): Promise<boolean> {
    return this.categories.existsBy({ code });
  }
}
