/**
 * pg as patched (patches/pg+8.23.1.patch): a named statement is described once per connection. Its later runs reuse
 * the fields, parsers and empty row of the first description, so PostgreSQL sends no RowDescription and pg parses
 * none; the rows must be what an undescribed-again statement would give, and a query that parses rows another way
 * (row mode, its own types) must still be described. Here, on a province's database, as every prepared read of a
 * province subgraph (PreparedRead) runs through it.
 */
import { Client, types as pgTypes, type QueryConfig } from 'pg';
import { testSystem } from '../../../../../test/support';

let client: Client;
/** RowDescription messages the client has received. */
let descriptions = 0;

beforeAll(async () => {
  client = new Client({ connectionString: testSystem().databaseUrls.sichuan });
  await client.connect();
  (client as unknown as { connection: NodeJS.EventEmitter }).connection.on('rowDescription', () => (descriptions += 1));
  await client.query('CREATE TEMP TABLE described (id int PRIMARY KEY, label text, amount numeric(12, 2), taken date, tags text[], at timestamptz)');
  await client.query(
    `INSERT INTO described VALUES (1, 'one', 12.50, '2026-12-01', '{a,b}', '2026-12-01T08:00:00Z'), (2, NULL, NULL, NULL, NULL, NULL), (3, '__proto__', 0.01, '2026-01-31', '{}', '2026-01-31T23:59:59Z')`,
  );
});
afterAll(() => client.end());

const PAGE = { name: 'described_page', text: 'SELECT d.id, d.label AS "__proto__", d.label, d.amount, d.taken, d.tags, d.at FROM described d WHERE d.id >= $1 ORDER BY d.id' };

/** Rows and RowDescriptions received for one query. */
async function run(config: QueryConfig & { rowMode?: 'array' }): Promise<{ rows: unknown[]; fields: string[]; described: number }> {
  const before = descriptions;
  const result = await client.query(config);
  return { rows: result.rows, fields: result.fields.map((field) => field.name), described: descriptions - before };
}

describe('named statements described once per connection (pg patched)', () => {
  it('describes a named statement on its first run only, the rows of every run parsed alike', async () => {
    const first = await run({ ...PAGE, values: [1] });
    expect(first.described).toBe(1);
    expect(first.rows).toHaveLength(3);
    for (const from of [1, 2, 3, 1]) {
      const again = await run({ ...PAGE, values: [from] });
      expect(again.described).toBe(0);
      expect(again.fields).toEqual(first.fields);
      expect(again.rows).toEqual(first.rows.slice(from - 1));
    }
    const [row] = (await run({ ...PAGE, values: [1] })).rows as Record<string, unknown>[];
    // The default parsers: numbers, text, arrays, dates; a column named __proto__ is the row's own property.
    const { __proto__: ownProto, ...rest } = Object.fromEntries(Object.entries(row!));
    expect(rest).toEqual({ id: 1, label: 'one', amount: '12.50', taken: expect.any(Date), tags: ['a', 'b'], at: new Date('2026-12-01T08:00:00Z') });
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('one');
    expect(ownProto).toBe('one');
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it('gives every run its own rows, never a row of an earlier run', async () => {
    const first = (await run({ ...PAGE, values: [1] })).rows as Record<string, unknown>[];
    const second = (await run({ ...PAGE, values: [1] })).rows as Record<string, unknown>[];
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]);
    second[0]!['label'] = 'changed';
    expect((await run({ ...PAGE, values: [1] })).rows[0]).toMatchObject({ label: 'one' });
  });

  it('describes each statement name for itself, and queries that parse rows their own way every time', async () => {
    const other = { name: 'described_count', text: 'SELECT count(*)::int AS n FROM described' };
    expect(await run(other)).toEqual({ rows: [{ n: 3 }], fields: ['n'], described: 1 });
    expect(await run(other)).toEqual({ rows: [{ n: 3 }], fields: ['n'], described: 0 });

    // Row mode: arrays, described on every run; the statement's kept shape is left as it was.
    const asArrays = await run({ ...PAGE, values: [3], rowMode: 'array' });
    expect(asArrays.described).toBe(1);
    expect(asArrays.rows).toEqual([[3, '__proto__', '__proto__', '0.01', expect.any(Date), [], new Date('2026-01-31T23:59:59Z')]]);
    expect((await run({ ...PAGE, values: [3], rowMode: 'array' })).described).toBe(1);

    // A query's own types: its own parsers, described on every run.
    const ownTypes = {
      getTypeParser: (oid: number, format?: string) => (oid === pgTypes.builtins.NUMERIC ? (text: string) => `¥${text}` : pgTypes.getTypeParser(oid, format as never)),
    };
    const typed = await run({ ...PAGE, values: [3], types: ownTypes } as QueryConfig);
    expect(typed.described).toBe(1);
    expect(typed.rows).toEqual([expect.objectContaining({ amount: '¥0.01' })]);
    expect(await run({ ...PAGE, values: [3] })).toMatchObject({ described: 0, rows: [expect.objectContaining({ amount: '0.01' })] });
  });

  it('describes again on a connection of its own', async () => {
    const other = new Client({ connectionString: testSystem().databaseUrls.sichuan });
    await other.connect();
    try {
      let described = 0;
      (other as unknown as { connection: NodeJS.EventEmitter }).connection.on('rowDescription', () => (described += 1));
      await other.query('CREATE TEMP TABLE described (id int PRIMARY KEY, label text, amount numeric(12, 2), taken date, tags text[], at timestamptz)');
      await other.query(PAGE.text.replace('$1', '0') + ' LIMIT 0');
      await other.query({ ...PAGE, values: [1] });
      await other.query({ ...PAGE, values: [1] });
      expect(described).toBe(2);
    } finally {
      await other.end();
    }
  });

  it('forgets the shape of a statement whose run failed, and describes it when it runs again', async () => {
    const failing = { name: 'described_failing', text: 'SELECT 10 / d.id AS share FROM described d WHERE d.id >= $1 ORDER BY d.id' };
    expect(await run({ ...failing, values: [1] })).toMatchObject({ described: 1, rows: [{ share: 10 }, { share: 5 }, { share: 3 }] });
    expect((await run({ ...failing, values: [2] })).described).toBe(0);
    await client.query('INSERT INTO described (id) VALUES (0)');
    try {
      await expect(client.query({ ...failing, values: [0] })).rejects.toThrow(/division by zero/);
    } finally {
      await client.query('DELETE FROM described WHERE id = 0');
    }
    expect(await run({ ...failing, values: [3] })).toMatchObject({ described: 1, rows: [{ share: 3 }] });
  });
});
