import type { DataSource } from 'typeorm';
import type { Pool, QueryConfig } from 'pg';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { InstrumentEntity } from '../InstrumentEntity';
import { InstrumentRepository } from '../InstrumentRepository';

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
      await repository.findPage({ keywords: ['spectrometer'] }, 5, null);
      await repository.findPage({ keywords: ['microscope'] }, 3, null);
      await repository.findPage({ keywords: ['microscope'], category: 'ELECTRON_MICROSCOPE' }, 3, null);
    });
    expect(sent).toHaveLength(3);
    expect(sent.every((statement) => statement.name)).toBe(true);
    expect(sent[0]!.name).toBe(sent[1]!.name);
    expect(sent[2]!.name).not.toBe(sent[0]!.name);
    // Values are parameters, never spliced into the text.
    expect(sent[1]!.text).not.toContain('microscope');
    expect(sent[1]!.values).toEqual(['%microscope%', 4]);
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
