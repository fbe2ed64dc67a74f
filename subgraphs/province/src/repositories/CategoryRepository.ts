import type { DataSource, Repository } from 'typeorm';
import { CategoryEntity } from '../entities/CategoryEntity';

export class CategoryRepository {
  private readonly categories: Repository<CategoryEntity>;

  constructor(dataSource: DataSource) {
    this.categories = dataSource.getRepository(CategoryEntity);
  }

  list(): Promise<CategoryEntity[]> {
    return this.categories.find({ order: { code: 'ASC' } });
  }
}
