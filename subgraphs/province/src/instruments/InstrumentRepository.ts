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

  /** Statements whose rows are not instruments: counts and the vocabulary. */
  private readonly statements = new PreparedReads();

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

  /**
   * One page plus whether another follows (one row more is read to know). The page's ids are picked first, from
   * indexes in (…, name, id) order, so the scan stops after first + 1 matches whatever the registry's size; only
   * those rows are then read.
   *
   * A keyword search first looks its longest keyword up in the words' vocabulary (migration
   * IndexInstrumentSearchWords): each word containing it then gives its first instruments in name order from the words
   * index. A keyword inside more than MAX_WORDS_PER_KEYWORD words walks the names instead, and one inside none has no
   * page to read. Two short statements rather than one with both plans: PostgreSQL planned that one anew on every
   * call at 1,000,000 instruments a province (0.55 of its 0.85 ms), its generic plan costed for a walk it never ran.
   * With `columns`, the rows hold only those properties.
   */
  async findPage(
    search: InstrumentSearch,
    first: number,
    after: InstrumentCursor | null,
    /** Only these columns, when the page's fields need no other (a fixed list: each list is a statement of its own). */
    columns?: readonly (keyof InstrumentEntity & string)[],
  ): Promise<{ rows: InstrumentEntity[]; hasNextPage: boolean }> {
    const values = new StatementValues();
    const limit = values.add(first + 1);
    const cursor = after ? { name: values.add(after.name), id: `${values.add(after.id)}::uuid` } : null;
    let ids: string;
    if (search.keywords?.length) {
      const leading = search.keywords.reduce((longest, word) => (word.length > longest.length ? word : longest));
      const words = await this.vocabularyContaining(leading);
      if (words.length === 0) return { rows: [], hasNextPage: false };
      ids = words.length <= MAX_WORDS_PER_KEYWORD ? wordsPageIds(search, leading, words, values, limit, cursor) : walkedPageIds(search, values, limit, cursor);
    } else {
      ids = walkedPageIds(search, values, limit, cursor);
    }
    const rows = await this.reads.rows(`SELECT ${this.reads.columns.select('i', columns)} FROM instruments i WHERE i.id IN (${ids}) ORDER BY i.name, i.id`, values.list);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /** Words of instruments' search texts that contain `keyword`, at most one more than MAX_WORDS_PER_KEYWORD. */
  private async vocabularyContaining(keyword: string): Promise<string[]> {
    const read = this.statements.of(VOCABULARY_CONTAINING);
    return (await read.rows<{ word: string }>(this.manager, [likePattern(keyword)])).map((row) => row.word);
  }

  async count(search: InstrumentSearch): Promise<number> {
    const values = new StatementValues();
    const where = searchConditions(search, 'i', values);
    const [row] = await this.statements.of(`SELECT count(*)::int AS n FROM instruments i${whereClause(where)}`).rows<{ n: number }>(this.manager, values.list);
    return row!.n;
  }
}

/** A statement's values, each numbered as it is added. */
class StatementValues {
  readonly list: unknown[] = [];

  /** The placeholder of a new value. */
  add(value: unknown): string {
    return `$${this.list.push(value)}`;
  }
}

/** A page's cursor as placeholders. */
type CursorPlaceholders = { readonly name: string; readonly id: string } | null;

/**
 * Vocabulary words one keyword may match before the search walks the name order instead: each matched word costs one
 * short index scan, and a keyword matching more (two letters, a common syllable) matches densely, where the walk stops
 * early anyway.
 */
const MAX_WORDS_PER_KEYWORD = 32;

const VOCABULARY_CONTAINING = `SELECT v.word FROM instrument_search_vocabulary v WHERE v.word LIKE $1 LIMIT ${MAX_WORDS_PER_KEYWORD + 1}`;

/** Rows of `alias` after the cursor in (name, id) order, or null on the first page. */
function afterCursor(alias: string, cursor: CursorPlaceholders): string | null {
  return cursor && `(${alias}.name, ${alias}.id) > (${cursor.name}, ${cursor.id})`;
}

/**
 * The ids of a page of a search, walked in name order along the (…, name, id) index of its filter, which also carries
 * search_text: each keyword is checked in the index.
 */
function walkedPageIds(search: InstrumentSearch, values: StatementValues, limit: string, cursor: CursorPlaceholders): string {
  const where = searchConditions(search, 'f', values);
  const after = afterCursor('f', cursor);
  if (after) where.push(after);
  return `SELECT f.id FROM instruments f${whereClause(where)} ORDER BY f.name, f.id LIMIT ${limit}`;
}

/**
 * The ids of a page of a keyword search from the words index: each of `words` (the vocabulary's words containing the
 * `leading` keyword) gives its first instruments of the category in name order, the other filters and keywords
 * checked on those rows before each word's limit; the page is the first of their union.
 */
function wordsPageIds(search: InstrumentSearch, leading: string, words: readonly string[], values: StatementValues, limit: string, cursor: CursorPlaceholders): string {
  const rest = [...search.keywords!];
  rest.splice(rest.indexOf(leading), 1);
  const others = searchConditions({ ...search, category: undefined, keywords: rest }, 'r', values);
  const where = [`f.category_code = ${search.category ? values.add(search.category) : 'c.code'}`, 'f.word = w.word'];
  const after = afterCursor('f', cursor);
  if (after) where.push(after);
  const perWord =
    `SELECT f.name, f.id FROM instrument_search_words f` +
    (others.length ? ` JOIN instruments r ON r.id = f.id AND ${others.join(' AND ')}` : '') +
    ` WHERE ${where.join(' AND ')} ORDER BY f.name, f.id LIMIT ${limit}`;
  // Without a category, each category's words are read in turn (the index leads with the category).
  const categories = search.category ? '' : ' CROSS JOIN instrument_categories c';
  return (
    `SELECT p.id FROM (SELECT DISTINCT m.name, m.id FROM unnest(${values.add(words)}::text[]) AS w(word)${categories} CROSS JOIN LATERAL (${perWord}) m) p` +
    ` ORDER BY p.name, p.id LIMIT ${limit}`
  );
}

/** A search's conditions on the instruments aliased `i`, their values added to `values`. */
function searchConditions(search: InstrumentSearch, i: string, values: StatementValues): string[] {
  const where: string[] = [];
  if (search.category) where.push(`${i}.category_code = ${values.add(search.category)}`);
  if (search.status) where.push(`${i}.status = ${values.add(search.status)}`);
  if (search.labId) where.push(`${i}.lab_id = ${values.add(search.labId)}::uuid`);
  if (search.classificationPrefix) where.push(`${i}.classification_code LIKE ${values.add(`${search.classificationPrefix}%`)}`);
  if (search.bookableOnly) where.push(`${i}.open_for_sharing AND ${i}.status = 'IN_SERVICE'`);
  // search_text is lower-cased and trigram-indexed.
  for (const word of search.keywords ?? []) where.push(`${i}.search_text LIKE ${values.add(likePattern(word))}`);
  return where;
}

/** The LIKE pattern of text containing `word`, its LIKE wildcards escaped to match only themselves. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, '\\$&')}%`;
}

function whereClause(where: readonly string[]): string {
  return where.length ? ` WHERE ${where.join(' AND ')}` : '';
}
