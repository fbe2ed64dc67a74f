import { seededDatabase, undoThrough } from './seededDatabase';

describe('WithdrawRetiredOfferings', () => {
  // A database of its own, taken back to before this migration, where a retired instrument's offering was left active.
  const database = seededDatabase('withdraw_offerings');
  let dataSource: ReturnType<typeof database>;
  beforeAll(() => {
    dataSource = database();
  });

  /** Whether each offering is active, by id. */
  const activeOf = async (ids: readonly string[]) =>
    Object.fromEntries(((await dataSource.query('SELECT id, active FROM offerings WHERE id = ANY($1)', [ids])) as { id: string; active: boolean }[]).map((row) => [row.id, row.active]));

  it('withdraws the offerings of retired instruments and closed labs only, and down offers exactly those again', async () => {
    await undoThrough(dataSource, 'WithdrawRetiredOfferings1796420000000');
    const [retired] = (await dataSource.query(`SELECT id FROM offerings WHERE active AND instrument_id IS NOT NULL ORDER BY id LIMIT 1`)) as { id: string }[];
    const [closed] = (await dataSource.query(`SELECT id FROM offerings WHERE active AND lab_id IS NOT NULL ORDER BY id LIMIT 1`)) as { id: string }[];
    const [kept] = (await dataSource.query(`SELECT id FROM offerings WHERE active AND instrument_id IS NOT NULL
      AND instrument_id <> (SELECT instrument_id FROM offerings WHERE id = $1) ORDER BY id LIMIT 1`, [retired!.id])) as { id: string }[];
    // As retiring left things before it withdrew offerings: the instrument and the lab out of service, their offerings active.
    await dataSource.query(`UPDATE instruments SET status = 'RETIRED', open_for_sharing = false WHERE id = (SELECT instrument_id FROM offerings WHERE id = $1)`, [retired!.id]);
    await dataSource.query(`UPDATE labs SET retired_at = now() WHERE id = (SELECT lab_id FROM offerings WHERE id = $1)`, [closed!.id]);
    const ids = [retired!.id, closed!.id, kept!.id];
    // Every active offering of that instrument and that lab, the two picked among them.
    const withdrawn = ((await dataSource.query(`SELECT o.id FROM offerings o WHERE o.active AND (
        o.instrument_id = (SELECT instrument_id FROM offerings WHERE id = $1) OR o.lab_id = (SELECT lab_id FROM offerings WHERE id = $2))`,
    [retired!.id, closed!.id])) as { id: string }[]).map((row) => row.id).sort();

    await dataSource.runMigrations();
    expect(await activeOf(ids)).toEqual({ [retired!.id]: false, [closed!.id]: false, [kept!.id]: true });
    const audited = (await dataSource.query(`SELECT details->>'offeringId' AS id FROM audit_log WHERE action = 'offering.withdrawn'`)) as { id: string }[];
    expect(audited.map((row) => row.id).sort()).toEqual(withdrawn);
    expect(withdrawn).toEqual(expect.arrayContaining([retired!.id, closed!.id]));

    await undoThrough(dataSource, 'WithdrawRetiredOfferings1796420000000');
    expect(await activeOf([...ids, ...withdrawn])).toEqual(Object.fromEntries([...ids, ...withdrawn].map((id) => [id, true])));
    expect(await dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'offering.withdrawn'`)).toHaveLength(0);
    await dataSource.runMigrations();
  }, 120_000);
});
