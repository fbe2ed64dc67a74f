import { seededDatabase, undoThrough } from './seededDatabase';

describe('AddInstrumentMetadata', () => {
  // A database of its own, taken below the metadata and up again with the seeded registry in it.
  const database = seededDatabase('instrument_metadata');
  let dataSource: ReturnType<typeof database>;
  beforeAll(() => {
    dataSource = database();
  });

  const columns = async (table: string) =>
    ((await dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table])) as { column_name: string }[])
      .map((row) => row.column_name);

  it('goes down, keeping every instrument, and up again; the database refuses what the API refuses', async () => {
    const count = ((await dataSource.query('SELECT count(*)::int AS count FROM instruments')) as { count: number }[])[0]!.count;
    await undoThrough(dataSource, 'AddInstrumentMetadata1796230000000');
    expect(await columns('instruments')).not.toContain('original_value_fen');
    expect(await columns('instrument_categories')).not.toContain('retired_at');
    expect((await dataSource.query('SELECT count(*)::int AS count FROM instruments'))[0].count).toBe(count);

    await dataSource.runMigrations();
    expect(await columns('instruments')).toEqual(expect.arrayContaining(['original_value_fen', 'classification_code', 'sharing_contact_email']));
    const id = ((await dataSource.query('SELECT id FROM instruments LIMIT 1')) as { id: string }[])[0]!.id;
    await expect(dataSource.query(`UPDATE instruments SET original_value_fen = -1 WHERE id = $1`, [id])).rejects.toThrow(/check constraint/);
    await expect(dataSource.query(`UPDATE instruments SET classification_code = '01A' WHERE id = $1`, [id])).rejects.toThrow(/check constraint/);
    await expect(
      dataSource.query(`UPDATE instruments SET purchase_date = '2022-01-02', commissioning_date = '2022-01-01' WHERE id = $1`, [id]),
    ).rejects.toThrow(/instruments_commissioned_after_purchase/);
  }, 120_000);
});
