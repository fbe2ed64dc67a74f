import { type EntityManager, type Repository } from 'typeorm';
import type { InstrumentStatus } from '../domain/registryTypes';
import { InstrumentEntity } from './InstrumentEntity';
import { PreparedReads, chunks, entityReads, groupByKey, type EntityReads } from '../../../../shared/src';

export interface InstrumentSearch {
  readonly category?: string;
  /** Lower-cased words; every one must occur. */
  readonly keywords?: readonly string[];
  readonly status?: InstrumentStatus;
  readonly labId?: string;
  readonly bookableOnly?: boolean;
  /** A national classification class, subclass or full code: codes starting with it. */
  readonly classificationPrefix?: string;
}

/** Position in the (name, id) order that pages are cut from. */
export interface InstrumentCursor {
  readonly name: string;
  readonly id: string;
}

/**
 * Rows per multi-row INSERT. TypeORM checks each new parameter against all before it, so a statement's cost grows with
 * the square of its parameters (rows × columns): 500 rows of 40 columns took a second, 50 rows a few milliseconds.
 */
const INSERT_ROWS = 50;

/** Every query on instruments. Pages are keyset-paginated on (name, id): no OFFSET scans, however deep the page. */
export class InstrumentRepository {
  private readonly instruments: Repository<InstrumentEntity>;
  /** The registry's hot reads (a page of a search, its count, instruments by id or lab) go as prepared statements. */
  private readonly reads: EntityReads<InstrumentEntity>;

  private readonly counts = new PreparedReads();

  constructor(private readonly manager: EntityManager) {
    this.instruments = manager.getRepository(InstrumentEntity);
    this.reads = entityReads(manager, InstrumentEntity);
  }

  /** The instrument, locked until the transaction ends (FOR UPDATE): to change or retire it. */
  lockForUpdate(id: string): Promise<InstrumentEntity | null> {
    return this.instruments.createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  /** The instrument, share-locked until the transaction ends: held against a retire or maintenance change while it is booked. */
  lockForShare(id: string): Promise<InstrumentEntity | null> {
    return this.reads.first(`SELECT ${this.reads.columns.select('i')} FROM instruments i WHERE i.id = $1 FOR SHARE`, [id]);
  }

  /** How many instruments not retired are filed under a category. */
  countNotRetiredInCategory(categoryCode: string): Promise<number> {
    return this.instruments.createQueryBuilder('i').where('i.category_code = :categoryCode', { categoryCode }).andWhere(`i.status <> 'RETIRED'`).getCount();
  }

  assetCodeTaken(assetCode: string): Promise<boolean> {
    return this.instruments.existsBy({ assetCode });
  }

  async insert(row: Omit<InstrumentEntity, 'createdAt' | 'updatedAt'>): Promise<InstrumentEntity> {
    await this.instruments.insert(row);
    return this.instruments.findOneByOrFail({ id: row.id });
  }

  async update(id: string, changes: Partial<InstrumentEntity>): Promise<InstrumentEntity> {
    await this.instruments.update({ id }, changes);
    return this.instruments.findOneByOrFail({ id });
  }

  /** Instruments by asset code, locked for update until the transaction ends (a registry file changes them). */
  lockByAssetCodes(assetCodes: readonly string[]): Promise<InstrumentEntity[]> {
    if (assetCodes.length === 0) return Promise.resolve([]);
    return this.instruments.createQueryBuilder('i').setLock('pessimistic_write').where('i.asset_code IN (:...assetCodes)', { assetCodes: [...assetCodes] }).getMany();
  }

  /** Many new instruments, INSERT_ROWS to a statement. */
  async insertMany(rows: readonly Omit<InstrumentEntity, 'createdAt' | 'updatedAt'>[]): Promise<void> {
    for (const chunk of chunks(rows, INSERT_ROWS)) await this.instruments.insert(chunk);
  }

  /** A page of the instruments not retired, by asset code after `afterAssetCode`: the order registry files are written in. */
  pageByAssetCode(afterAssetCode: string | null, limit: number): Promise<InstrumentEntity[]> {
    const query = this.instruments.createQueryBuilder('i').where(`i.status <> 'RETIRED'`).orderBy('i.asset_code', 'ASC').limit(limit);
    if (afterAssetCode !== null) query.andWhere('i.asset_code > :afterAssetCode', { afterAssetCode });
    return query.getMany();
  }

  /** Instruments in service that belong to a lab, by name. */
  inServiceOfLab(labId: string): Promise<Pick<InstrumentEntity, 'id' | 'name'>[]> {
    return this.instruments.find({
      select: { id: true, name: true },
      where: { labId, status: 'IN_SERVICE' },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  findByIds(ids: readonly string[]): Promise<(InstrumentEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  /** Own instruments of several labs in one query. */
  async findByLabIds(labIds: readonly string[]): Promise<InstrumentEntity[][]> {
    const rows = await this.reads.rows(`SELECT ${this.reads.columns.select('i')} FROM instruments i WHERE i.lab_id = ANY($1::uuid[]) ORDER BY i.name, i.id`, [labIds]);
    return groupByKey(labIds, rows, (row) => row.labId!);
  }

  /** One page plus whether another follows (one row more is read to know). */
  async findPage(search: InstrumentSearch, first: number, after: InstrumentCursor | null): Promise<{ rows: InstrumentEntity[]; hasNextPage: boolean }> {
    // Still one statement: the page's ids are picked first, from the (…, name, id) indexes that also carry
    // search_text, so a keyword is checked in the index and the scan stops after first + 1 matches whatever
    // the registry's size; only those rows are then read.
    const { where, values } = searchConditions(search, 'f');
    if (after) {
      values.push(after.name, after.id);
      where.push(`(f.name, f.id) > ($${values.length - 1}, $${values.length}::uuid)`);
    }
    values.push(first + 1);
    const rows = await this.reads.rows(
      `SELECT ${this.reads.columns.select('i')} FROM instruments i WHERE i.id IN (` +
        `SELECT f.id FROM instruments f${whereClause(where)} ORDER BY f.name, f.id LIMIT $${values.length}) ORDER BY i.name, i.id`,
      values,
    );
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async count(search: InstrumentSearch): Promise<number> {
    const { where, values } = searchConditions(search, 'i');
    const [row] = await this.counts.of(`SELECT count(*)::int AS n FROM instruments i${whereClause(where)}`).rows<{ n: number }>(this.manager, values);
    return row!.n;
  }
}

/** A search's conditions on the instruments aliased `i`, with their values numbered from $1. */
function searchConditions(search: InstrumentSearch, i: string): { where: string[]; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const value = (v: unknown) => `$${values.push(v)}`;
  if (search.category) where.push(`${i}.category_code = ${value(search.category)}`);
  if (search.status) where.push(`${i}.status = ${value(search.status)}`);
  if (search.labId) where.push(`${i}.lab_id = ${value(search.labId)}::uuid`);
  if (search.classificationPrefix) where.push(`${i}.classification_code LIKE ${value(`${search.classificationPrefix}%`)}`);
  if (search.bookableOnly) where.push(`${i}.open_for_sharing AND ${i}.status = 'IN_SERVICE'`);
  // search_text is lower-cased and trigram-indexed; LIKE wildcards in the word are escaped.
  for (const word of search.keywords ?? []) where.push(`${i}.search_text LIKE ${value(`%${word.replace(/[\\%_]/g, '\\$&')}%`)}`);
  return { where, values };
}

function whereClause(where: readonly string[]): string {
  return where.length ? ` WHERE ${where.join(' AND ')}` : '';
}
