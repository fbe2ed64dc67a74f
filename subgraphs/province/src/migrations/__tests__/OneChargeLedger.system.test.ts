import { seededDatabase, undoThrough } from './seededDatabase';

describe('OneChargeLedger', () => {
  // A database of its own, with the seeded voucher payment of a Sichuan charge, taken below the one ledger and up again.
  const database = seededDatabase('one_charge_ledger');
  let dataSource: ReturnType<typeof database>;
  beforeAll(() => {
    dataSource = database();
  });

  const parts = async () => (await dataSource.query(`
      SELECT r.charge_ref, r.amount_fen::int AS paid, c.voucher_captured_fen::int AS captured, c.voucher_pending_fen::int AS pending
        FROM voucher_redemptions r JOIN charges c ON c.id = r.charge_id ORDER BY r.charge_ref`)) as { charge_ref: string; paid: number; captured: number; pending: number }[];

  it('goes down to the minimal ledger keeping every payment part, and up again linking payments to their charges', async () => {
    const before = await parts();
    expect(before).toEqual([expect.objectContaining({ paid: 150_000, captured: 150_000, pending: 0 })]);
    await undoThrough(dataSource, 'OneChargeLedger1796300000000');
    expect(await dataSource.query('SELECT charge_ref, amount_fen::int, voucher_pending_fen::int, voucher_captured_fen::int FROM voucher_charges')).toEqual([
      { charge_ref: before[0]!.charge_ref, amount_fen: 300_000, voucher_pending_fen: 0, voucher_captured_fen: 150_000 },
    ]);
    // A payment the minimal ledger knew by a reference of its own stays as it is.
    await dataSource.query(`INSERT INTO voucher_redemptions (id, user_id, idempotency_key, charge_ref, voucher_id, issuer, amount_fen, charge_amount_fen, state)
      VALUES (gen_random_uuid(), gen_random_uuid(), 'old-ledger', 'CHG-OLD-1', 'cq:voucher:x', 'chongqing', 100, 1000, 'CAPTURED')`);

    await dataSource.runMigrations();
    expect(await parts()).toEqual(before);
    expect(await dataSource.query("SELECT charge_id FROM voucher_redemptions WHERE charge_ref = 'CHG-OLD-1'")).toEqual([{ charge_id: null }]);
    expect(await dataSource.query("SELECT to_regclass('voucher_charges') AS t")).toEqual([{ t: null }]);
  }, 120_000);
});
