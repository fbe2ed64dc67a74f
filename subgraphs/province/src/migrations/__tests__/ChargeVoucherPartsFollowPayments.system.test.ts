import { randomUUID } from 'node:crypto';
import { seededDatabase, undoThrough } from './seededDatabase';

describe('ChargeVoucherPartsFollowPayments', () => {
  // A database of its own, with the seeded charges, so the migration can be taken down and up again.
  const database = seededDatabase('charge_voucher_parts');
  let dataSource: ReturnType<typeof database>;
  let chargeId: string;
  beforeAll(async () => {
    dataSource = database();
    [{ id: chargeId }] = await dataSource.query('SELECT id FROM charges ORDER BY created_at, id LIMIT 1');
  });

  const parts = async () => (await dataSource.query(
    'SELECT voucher_pending_fen::int AS pending, voucher_captured_fen::int AS captured FROM charges WHERE id = $1', [chargeId],
  ))[0] as { pending: number; captured: number };
  /** A payment of `amount` fen in `state`, of the charge (or of none: a payment of the minimal ledger). */
  async function payment(amount: number, state: string, charge: string | null = chargeId): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO voucher_redemptions (id, user_id, idempotency_key, charge_ref, charge_id, voucher_id, issuer, amount_fen, charge_amount_fen, state)
       VALUES ($1, gen_random_uuid(), $2, 'charge-ref', $3, 'cq:voucher:x', 'chongqing', $4, 1000000, $5)`,
      [id, `key-${id}`, charge, amount, state],
    );
    return id;
  }
  const move = (id: string, state: string) => dataSource.query('UPDATE voucher_redemptions SET state = $2 WHERE id = $1', [id, state]);

  it("moves a payment's amount between its charge's parts with each state the payment is written in", async () => {
    const start = await parts();
    const paid = await payment(700, 'INTENDED');
    expect(await parts()).toEqual({ pending: start.pending + 700, captured: start.captured });
    await move(paid, 'RESERVED');
    expect(await parts()).toEqual({ pending: start.pending + 700, captured: start.captured });
    await move(paid, 'CAPTURED');
    expect(await parts()).toEqual({ pending: start.pending, captured: start.captured + 700 });

    const refused = await payment(300, 'INTENDED');
    const released = await payment(200, 'INTENDED');
    await move(refused, 'REFUSED');
    await move(released, 'RESERVED');
    await move(released, 'RELEASED');
    expect(await parts()).toEqual({ pending: start.pending, captured: start.captured + 700 });
    // A payment of no charge here moves nothing.
    await move(await payment(500, 'INTENDED', null), 'CAPTURED');
    expect(await parts()).toEqual({ pending: start.pending, captured: start.captured + 700 });
  });

  it('refuses to take a paid part back, changing nothing', async () => {
    const paid = await payment(400, 'INTENDED');
    await move(paid, 'CAPTURED');
    const before = await parts();
    await expect(move(paid, 'RELEASED')).rejects.toThrow(/was paid; a refund is a credit on the charge/);
    expect(await parts()).toEqual(before);
    expect(await dataSource.query('SELECT state FROM voucher_redemptions WHERE id = $1', [paid])).toEqual([{ state: 'CAPTURED' }]);
  });

  it('goes down leaving the parts to whoever writes them, and up again', async () => {
    await undoThrough(dataSource, 'ChargeVoucherPartsFollowPayments1796460000000');
    const before = await parts();
    await payment(100, 'INTENDED');
    expect(await parts()).toEqual(before);
    await dataSource.runMigrations();
    await payment(100, 'INTENDED');
    expect(await parts()).toEqual({ pending: before.pending + 100, captured: before.captured });
  }, 120_000);
});
