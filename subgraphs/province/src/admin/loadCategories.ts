import { withMigratedDatabase, type ProvinceDefinition } from '../../../../shared/src';
import { CategoryRepository, type CategoryUpsert } from '../instruments/CategoryRepository';
import { createProvinceDataSource } from '../provinceDataSource';
import type { SeedCategory } from '../seeds/provinceSeedSchema';

/** Upserts the categories by code into one province's registry, in one transaction: all of them or none. */
export function loadCategories(province: ProvinceDefinition, databaseUrl: string, categories: readonly SeedCategory[]): Promise<CategoryUpsert> {
  return withMigratedDatabase(province.key, createProvinceDataSource(province, databaseUrl, 1), (dataSource) =>
    dataSource.transaction((manager) => new CategoryRepository(manager).upsertAll(categories)),
  );
}
