/**
 * @testSystem in-process: only the file's own Sichuan database is used.
 *
 * Statements sent with parameters, TypeORM's included, are prepared under a name once per connection and run by that
 * name afterwards (shared/src/db/preparingClient.ts), up to a bound per connection; statements without parameters
 * are sent as text, as before.
 */
import type { DataSource } from 'typeorm';
import { MAX_NAMED_STATEMENTS_PER_CONNECTION, PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { InstrumentEntity } from '../../instruments/InstrumentEntity';
import { createProvinceDataSource } from '../../provinceDataSource';

let dataSource: DataSource;

beforeAll(async () => {
  // One connection, so every statement of the file runs on the connection the checks below look at.
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 1);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

/** The connection's named statements (the query has no parameters, so it is not one of them). */
async function namedStatements(): Promise<{ name: string; statement: string }[]> {
  return dataSource.query(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 's\\_%' ORDER BY prepare_time`);
}

const COUNT_BY_CATEGORY = 'SELECT count(*)::int AS n FROM instruments WHERE category_code = $1';

describe('statements with parameters', () => {
  it('are prepared once per connection and then run by name, TypeORM\'s own included', async () => {
    const before = await namedStatements();
    const first = await dataSource.query(COUNT_BY_CATEGORY, ['NO_SUCH_CATEGORY']);
    const second = await dataSource.query(COUNT_BY_CATEGORY, ['NO_SUCH_CATEGORY_EITHER']);
    expect([first, second]).toEqual([[{ n: 0 }], [{ n: 0 }]]);
    const instruments = dataSource.getRepository(InstrumentEntity);
    const [some] = await instruments.find({ take: 1, order: { id: 'ASC' } });
    expect(await instruments.findOneBy({ id: some!.id })).toMatchObject({ id: some!.id });
    expect(await instruments.findOneBy({ id: some!.id })).toMatchObject({ id: some!.id });

    const added = (await namedStatements()).slice(before.length);
    const texts = added.map(({ statement }) => statement);
    expect(texts.filter((text) => text === COUNT_BY_CATEGORY)).toHaveLength(1);
    // TypeORM's find by id: one statement, prepared once for the two calls.
    expect(texts.filter((text) => text.startsWith('SELECT') && text.includes('WHERE (("InstrumentEntity"."id" = $1))'))).toHaveLength(1);
    for (const { name } of added) expect(name).toMatch(/^s_[0-9a-f]{24}$/);
    expect(new Set(added.map(({ name }) => name)).size).toBe(added.length);
  });

  it('still answer, and keep the connection usable, when one fails to parse or fails while it runs', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(dataSource.query('SELECT $1::int FROM no_such_table', [1])).rejects.toThrow(/relation "no_such_table" does not exist/);
      await expect(dataSource.query('SELECT 1 / $1::int AS q', [0])).rejects.toThrow(/division by zero/);
    }
    expect(await dataSource.query('SELECT 6 / $1::int AS q', [3])).toEqual([{ q: 2 }]);
    const texts = (await namedStatements()).map(({ statement }) => statement);
    expect(texts).not.toContain('SELECT $1::int FROM no_such_table');
    expect(texts.filter((text) => text === 'SELECT 1 / $1::int AS q')).toHaveLength(1);
  });

  it('stay prepared when the transaction that prepared them rolls back', async () => {
    const text = 'SELECT $1::text AS echoed';
    await expect(dataSource.transaction(async (manager) => {
      expect(await manager.query(text, ['inside'])).toEqual([{ echoed: 'inside' }]);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await dataSource.query(text, ['after'])).toEqual([{ echoed: 'after' }]);
  });
});

it('sends statements without parameters as text, never prepared', async () => {
  const text = 'SELECT count(*)::int AS n FROM instruments WHERE false';
  expect(await dataSource.query(text)).toEqual([{ n: 0 }]);
  expect((await namedStatements()).map(({ statement }) => statement)).not.toContain(text);
});

it(`keeps at most ${MAX_NAMED_STATEMENTS_PER_CONNECTION} named statements on a connection, and runs the rest unnamed`, async () => {
  const texts = Array.from({ length: MAX_NAMED_STATEMENTS_PER_CONNECTION + 20 }, (_, i) => `SELECT $1::int + ${i} AS v`);
  for (const [i, text] of texts.entries()) expect(await dataSource.query(text, [1000])).toEqual([{ v: 1000 + i }]);
  const named = await namedStatements();
  expect(named).toHaveLength(MAX_NAMED_STATEMENTS_PER_CONNECTION);
  // Those named already keep running by name once the connection is full.
  expect(await dataSource.query(COUNT_BY_CATEGORY, ['STILL_NONE'])).toEqual([{ n: 0 }]);
  expect(await namedStatements()).toHaveLength(MAX_NAMED_STATEMENTS_PER_CONNECTION);
});
