import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** One page of rows, whether more follow, and the count of every row the filter selects (run only when asked). */
export interface CreationPage<T> {
  readonly rows: T[];
  readonly hasNextPage: boolean;
  readonly totalCount: () => Promise<number>;
}

/**
 * A keyset page in the order rows were created (`created_at`, then `id`), oldest or newest first, after a cursor's
 * position. The instant is compared at the millisecond a cursor carries (JavaScript dates have no microseconds),
 * so a row created within the same millisecond as the cursor's is neither skipped nor repeated.
 */
export async function pageByCreation<T extends ObjectLiteral>(
  filtered: () => SelectQueryBuilder<T>,
  alias: string,
  order: 'ASC' | 'DESC',
  first: number,
  after: { createdAt: Date; id: string } | null,
): Promise<CreationPage<T>> {
  const instant = `date_trunc('milliseconds', ${alias}.created_at)`;
  const page = filtered().orderBy(instant, order).addOrderBy(`${alias}.id`, order).limit(first + 1);
  if (after) {
    page.andWhere(`(${instant}, ${alias}.id) ${order === 'ASC' ? '>' : '<'} (:afterAt, :afterId)`, { afterAt: after.createdAt, afterId: after.id });
  }
  const rows = await page.getMany();
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount: () => filtered().getCount() };
}
