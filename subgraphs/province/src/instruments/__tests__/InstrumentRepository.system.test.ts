import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Pool, QueryConfig } from 'pg';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { InstrumentEntity } from '../InstrumentEntity';
import { InstrumentRepository, type InstrumentSearch } from '../InstrumentRepository';
import { IndexInstrumentSearchWords1796450000000 } from '../../migrations/1796450000000-IndexInstrumentSearchWords';

let dataSource: DataSource;
let repository: InstrumentRepository;

beforeAll(async () => {
  // The file's own database exists once the system set-up (setupFileSystem.ts) has run.
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 2);
  await dataSource.initialize();
  repository = new InstrumentRepository(dataSource.manager);
});
afterAll(() => dataSource.destroy());

/** Every statement sent to TypeORM's pg pool while `work` runs, with its name. */
async function sentWhile(work: () => Promise<unknown>): Promise<{ name?: string; text: string; values?: unknown[] }[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const sent: { name?: string; text: string; values?: unknown[] }[] = [];
  const query = pool.query.bind(pool) as (config: QueryConfig) => Promise<unknown>;
  const spy = jest.spyOn(pool, 'query').mockImplementation(((config: QueryConfig) => {
    sent.push({ name: config.name, text: config.text, values: config.values });
    return query(config);
  }) as never);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

describe('InstrumentRepository prepared reads', () => {
  it('hydrate every column as TypeORM does (dates as text, numeric fees as numbers, arrays, timestamps, nulls)', async () => {
    const viaTypeorm = await dataSource.getRepository(InstrumentEntity).find({ order: { id: 'ASC' } });
    expect(viaTypeorm.length).toBeGreaterThan(5);
    // Dates and nullable columns, filled and empty, are among what is compared.
    expect(viaTypeorm.some((row) => row.purchaseDate !== null)).toBe(true);
    expect(viaTypeorm.some((row) => row.retiredReason === null)).toBe(true);
    const prepared = await repository.findByIds(viaTypeorm.map((row) => row.id));
    expect(prepared.map((row) => ({ ...row }))).toEqual(viaTypeorm.map((row) => ({ ...row })));
    expect(typeof prepared[0]!.hourlyFee).toBe('number');
    expect(prepared[0]!.createdAt).toBeInstanceOf(Date);
    const dated = prepared.find((row) => row?.purchaseDate !== null)!;
    expect(dated.purchaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("read a lab's own instruments in (name, id) order, as TypeORM finds them", async () => {
    const labId = (await dataSource.query('SELECT lab_id FROM instruments WHERE lab_id IS NOT NULL GROUP BY lab_id ORDER BY count(*) DESC LIMIT 1'))[0].lab_id as string;
    const viaTypeorm = await dataSource.getRepository(InstrumentEntity).find({ where: { labId }, order: { name: 'ASC', id: 'ASC' } });
    expect(viaTypeorm.length).toBeGreaterThan(1);
    const [own, none] = await repository.findByLabIds([labId, '00000000-0000-4000-8000-000000000000']);
    expect(own!.map((row) => ({ ...row }))).toEqual(viaTypeorm.map((row) => ({ ...row })));
    expect(none).toEqual([]);
  });

  it('answer unknown ids with null in their place, in the order asked', async () => {
    const [known] = await dataSource.getRepository(InstrumentEntity).find({ take: 1 });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const rows = await repository.findByIds([unknown, known!.id, unknown]);
    expect(rows.map((row) => row?.id ?? null)).toEqual([null, known!.id, null]);
  });

  it('send a page of a search as a named statement, the same name whatever the values, another for another shape', async () => {
    const sent = await sentWhile(async () => {
      await repository.findPage({ bookableOnly: true }, 5, null);
      await repository.findPage({ bookableOnly: true }, 3, null);
      await repository.findPage({ bookableOnly: true, category: 'ELECTRON_MICROSCOPE' }, 3, null);
    });
    expect(sent).toHaveLength(3);
    expect(sent.every((statement) => statement.name)).toBe(true);
    expect(sent[0]!.name).toBe(sent[1]!.name);
    expect(sent[2]!.name).not.toBe(sent[0]!.name);
    // Values are parameters, never spliced into the text.
    expect(sent[2]!.text).not.toContain('ELECTRON_MICROSCOPE');
    expect(sent[2]!.values).toEqual([4, 'ELECTRON_MICROSCOPE']);
  });

  it('send a keyword search as two named statements, the vocabulary lookup and the page, the keyword a parameter of both', async () => {
    const sent = await sentWhile(async () => {
      await repository.findPage({ keywords: ['spectrometer'] }, 5, null);
      await repository.findPage({ keywords: ['microscope'] }, 3, null);
    });
    expect(sent).toHaveLength(4);
    expect(sent.every((statement) => statement.name)).toBe(true);
    expect(sent[0]!.name).toBe(sent[2]!.name);
    expect(sent[1]!.name).toBe(sent[3]!.name);
    expect(sent[2]!.values).toEqual(['%microscope%']);
    expect(sent[3]!.values).toEqual([4, expect.arrayContaining(['microscope'])]);
    expect(sent.some((statement) => /microscope/.test(statement.text))).toBe(false);
  });

  it('answer a keyword that is in no word with an empty page, after the vocabulary lookup alone', async () => {
    const sent = await sentWhile(async () => expect(await repository.findPage({ keywords: ['zzqx'] }, 5, null)).toEqual({ rows: [], hasNextPage: false }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(/instrument_search_vocabulary/);
  });

  it('page a search in (name, id) order, each instrument once, with the count of the same search', async () => {
    const search = { bookableOnly: true };
    const expected = (await dataSource.query(
      `SELECT id FROM instruments WHERE open_for_sharing AND status = 'IN_SERVICE'`,
    )) as { id: string }[];
    const seen: string[] = [];
    let after: { name: string; id: string } | null = null;
    for (;;) {
      const page = await repository.findPage(search, 2, after);
      seen.push(...page.rows.map((row) => row.id));
      if (!page.hasNextPage) break;
      const last = page.rows.at(-1)!;
      after = { name: last.name, id: last.id };
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(expected.map((row) => row.id).sort());
    expect(await repository.count(search)).toBe(expected.length);
  });

  it('take a keyword literally: LIKE wildcards in it match only themselves', async () => {
    expect(await repository.count({ keywords: ['%'] })).toBe(0);
    expect(await repository.count({ keywords: ['_'] })).toBe(0);
  });
});

/** Filed words that no instrument's text has, and words of instruments' texts that are not filed (both should be none). */
async function misfiled(): Promise<{ stale: unknown[]; missing: unknown[]; notInVocabulary: unknown[] }> {
  const expected = `SELECT DISTINCT i.category_code, w.word, i.name, i.id
                    FROM instruments i CROSS JOIN LATERAL regexp_split_to_table(i.search_text, ' +') AS w(word) WHERE w.word <> ''`;
  const filed = 'SELECT category_code, word, name, id FROM instrument_search_words';
  return {
    stale: await dataSource.query(`${filed} EXCEPT ${expected} LIMIT 5`),
    missing: await dataSource.query(`${expected} EXCEPT ${filed} LIMIT 5`),
    notInVocabulary: await dataSource.query('SELECT word FROM instrument_search_words EXCEPT SELECT word FROM instrument_search_vocabulary LIMIT 5'),
  };
}

const NONE = { stale: [], missing: [], notInVocabulary: [] };

/** Columns an INSERT may write (search_text is generated). */
let writableColumns: string[];

/**
 * New instruments copied from a seeded one, each with its own id, asset code and the given fields: one multi-row
 * INSERT, as a registry file or a load writes them. Answers their ids.
 */
async function addInstruments(rows: readonly { name: string; category?: string; model?: string }[], runner: Pick<DataSource, 'query'> = dataSource): Promise<string[]> {
  writableColumns ??= ((await dataSource.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'instruments' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  )) as { column_name: string }[]).map((row) => row.column_name);
  const ids = rows.map(() => randomUUID());
  const overridden: Record<string, string> = {
    id: 'n.id', asset_code: 'n.asset_code', name: 'n.name',
    category_code: 'coalesce(n.category, t.category_code)', model: 'coalesce(n.model, t.model)',
  };
  const select = writableColumns.map((column) => overridden[column] ?? `t."${column}"`).join(', ');
  await runner.query(
    `INSERT INTO instruments (${writableColumns.map((column) => `"${column}"`).join(', ')})
     SELECT ${select}
     FROM (SELECT * FROM instruments ORDER BY asset_code LIMIT 1) t,
          unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS n(id, asset_code, name, category, model)`,
    [ids, ids.map((id) => `T-${id.slice(0, 8)}`), rows.map((row) => row.name), rows.map((row) => row.category ?? null), rows.map((row) => row.model ?? null)],
  );
  return ids;
}

/** The ids of a search's every page, `pageSize` at a time, as a client pages through them. */
async function pagedIds(search: InstrumentSearch, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let after: { name: string; id: string } | null = null;
  for (let pages = 0; pages < 500; pages += 1) {
    const page: Awaited<ReturnType<InstrumentRepository['findPage']>> = await repository.findPage(search, pageSize, after);
    ids.push(...page.rows.map((row) => row.id));
    if (!page.hasNextPage) return ids;
    const last = page.rows.at(-1)!;
    after = { name: last.name, id: last.id };
  }
  throw new Error('more than 500 pages');
}

/** The same search answered plainly: every condition checked on every row (strpos, not LIKE), in (name, id) order. */
async function expectedIds(search: InstrumentSearch): Promise<string[]> {
  const where: string[] = ['true'];
  const values: unknown[] = [];
  if (search.category) where.push(`category_code = $${values.push(search.category)}`);
  if (search.bookableOnly) where.push(`open_for_sharing AND status = 'IN_SERVICE'`);
  if (search.status) where.push(`status = $${values.push(search.status)}`);
  for (const word of search.keywords ?? []) where.push(`strpos(search_text, $${values.push(word)}) > 0`);
  const rows = (await dataSource.query(`SELECT id FROM instruments WHERE ${where.join(' AND ')} ORDER BY name, id`, values)) as { id: string }[];
  return rows.map((row) => row.id);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** The executed plan of the statement findPage sends for `search`. */
async function executedPlan(search: InstrumentSearch, first: number): Promise<PlanNode[]> {
  // The page is the last statement (a keyword search looks the vocabulary up first).
  const statement = (await sentWhile(() => repository.findPage(search, first, null))).at(-1);
  const [row] = (await dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement!.text}`, statement!.values ?? [])) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
  return nodesOf(row!['QUERY PLAN'][0].Plan);
}

/**
 * The words index of keyword searches (migration IndexInstrumentSearchWords): kept exact by PostgreSQL's triggers
 * however instruments change, and a page of a keyword search read from it is the page the name-order walk gives.
 */
describe('the words index of keyword searches', () => {
  it('files every seeded instrument under each word of its search text', async () => {
    expect(Number((await dataSource.query('SELECT count(*) AS n FROM instrument_search_words'))[0].n)).toBeGreaterThan(200);
    expect(await misfiled()).toEqual(NONE);
  });

  it('is filed anew for the instruments already registered when its migration runs again after being undone', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new IndexInstrumentSearchWords1796450000000();
      await migration.down(runner);
      expect(await runner.query(`SELECT to_regclass('instrument_search_words') AS t`)).toEqual([{ t: null }]);
      await migration.up(runner);
      const filed = Number((await runner.query('SELECT count(*) AS n FROM instrument_search_words'))[0].n);
      const expected = Number((await runner.query(
        `SELECT count(*) AS n FROM (SELECT DISTINCT i.id, w.word FROM instruments i CROSS JOIN LATERAL regexp_split_to_table(i.search_text, ' +') AS w(word) WHERE w.word <> '') x`,
      ))[0].n);
      expect(filed).toBeGreaterThan(200);
      expect(filed).toBe(expected);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await misfiled()).toEqual(NONE);
  });

  it('stays exact as instruments are added, renamed, moved to another category, given another model and deleted', async () => {
    const [renamed, moved, remodelled, deleted, untouched] = await addInstruments([
      { name: 'Cryogenic probe station' }, { name: 'Cryogenic probe station' }, { name: 'Tabletop  double  spaced  name' },
      { name: 'Doomed analyser' }, { name: 'Untouched analyser' },
    ]);
    expect(await misfiled()).toEqual(NONE);

    await dataSource.query(`UPDATE instruments SET name = 'Cryogenic wafer prober' WHERE id = $1`, [renamed]);
    const otherCategory = (await dataSource.query(`SELECT code FROM instrument_categories WHERE code <> (SELECT category_code FROM instruments WHERE id = $1) LIMIT 1`, [moved]))[0].code;
    await dataSource.query('UPDATE instruments SET category_code = $2 WHERE id = $1', [moved, otherCategory]);
    await dataSource.query(`UPDATE instruments SET model = 'Quasar-9' WHERE id = $1`, [remodelled]);
    // An update that changes none of the words' columns, and one statement that changes many rows.
    await dataSource.query(`UPDATE instruments SET status = 'MAINTENANCE' WHERE id = $1`, [untouched]);
    await dataSource.query(`UPDATE instruments SET manufacturer = coalesce(manufacturer, '') || ' Ltd' WHERE id = ANY($1::uuid[])`, [[renamed, moved]]);
    await dataSource.query('DELETE FROM instruments WHERE id = $1', [deleted]);
    expect(await misfiled()).toEqual(NONE);

    const wordsOf = async (id: string) =>
      ((await dataSource.query('SELECT word FROM instrument_search_words WHERE id = $1 ORDER BY word', [id])) as { word: string }[]).map((row) => row.word);
    expect(await wordsOf(renamed!)).toEqual(expect.arrayContaining(['cryogenic', 'wafer', 'prober', 'ltd']));
    expect(await wordsOf(renamed!)).not.toContain('probe');
    expect(await wordsOf(remodelled!)).toEqual(expect.arrayContaining(['quasar-9', 'double']));
    expect(await wordsOf(deleted!)).toEqual([]);
    expect(await wordsOf(untouched!)).toContain('untouched');
  });

  it('gives every keyword search, page by page, the instruments the plain scan finds in (name, id) order', async () => {
    const categories = ((await dataSource.query('SELECT DISTINCT category_code FROM instruments ORDER BY 1')) as { category_code: string }[]).map((row) => row.category_code);
    const words = ((await dataSource.query('SELECT word FROM instrument_search_vocabulary ORDER BY word')) as { word: string }[]).map((row) => row.word);
    // Whole words, their parts (one and two letters, which match so many words that the search walks the names
    // instead), a part spanning two words, Chinese, and words of no instrument.
    const keywords = [
      ...words.filter((_, index) => index % 7 === 0),
      ...words.filter((word) => word.length > 6).slice(0, 10).map((word) => word.slice(2, 6)),
      'a', 'e', 'on', 'ic', 'sichuan', '测序', '显微', 'nothing-like-this', 'cryo wafer', 'gene sequencer',
    ];
    const searches: InstrumentSearch[] = [];
    for (const keyword of keywords) {
      const split = keyword.split(' ');
      searches.push({ keywords: split });
      searches.push({ keywords: split, category: categories[keyword.length % categories.length] });
      searches.push({ keywords: split, bookableOnly: true });
    }
    for (const category of categories) searches.push({ keywords: ['university'], category }, { keywords: ['co', 'analy'], category, status: 'IN_SERVICE' });
    let nonEmpty = 0;
    for (const search of searches) {
      const expected = await expectedIds(search);
      if (expected.length > 0) nonEmpty += 1;
      expect({ search, ids: await pagedIds(search, 4) }).toEqual({ search, ids: expected });
    }
    // The comparison is not vacuous: most searches find something, some more than a page.
    expect(nonEmpty).toBeGreaterThan(searches.length / 2);
  });

  it('reads a late block of names from the words index, not by walking every name before it', async () => {
    const category = (await dataSource.query('SELECT code FROM instrument_categories ORDER BY code LIMIT 1'))[0].code as string;
    await addInstruments([
      ...Array.from({ length: 2000 }, (_, n) => ({ name: `Aardvark counter ${String(n).padStart(4, '0')}`, category })),
      ...Array.from({ length: 30 }, (_, n) => ({ name: `Zymograph ${n}`, category, model: 'Late-block 7' })),
    ]);
    await dataSource.query('ANALYZE instruments, instrument_search_words, instrument_search_vocabulary');
    const search = { category, keywords: ['late-block'] };
    const nodes = await executedPlan(search, 20);
    // The walk would pass over the 2,000 earlier names in the category, each removed by the keyword's filter.
    const removed = nodes
      .filter((node) => node['Relation Name'] === 'instruments' || node['Relation Name'] === 'instrument_search_words')
      .reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0);
    expect(removed).toBeLessThan(100);
    expect(nodes.some((node) => node['Relation Name'] === 'instrument_search_words' && node['Actual Loops'] > 0)).toBe(true);
    expect((await repository.findPage(search, 20, null)).rows.map((row) => row.id)).toEqual((await expectedIds(search)).slice(0, 20));

    // A keyword inside very many words walks the names instead, and the words index is not read.
    const walked = await executedPlan({ category, keywords: ['a'] }, 20);
    expect(walked.some((node) => node['Relation Name'] === 'instrument_search_words' && node['Actual Loops'] > 0)).toBe(false);
    expect(walked.some((node) => node['Relation Name'] === 'instruments' && node['Actual Loops'] > 0)).toBe(true);
  });
});
