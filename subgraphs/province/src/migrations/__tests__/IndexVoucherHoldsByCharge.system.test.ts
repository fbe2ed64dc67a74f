import { randomUUID } from 'node:crypto';
import { VoucherRepository } from '../../vouchers/VoucherRepository';
import { seededDatabase, undoThrough } from './seededDatabase';

/** Holds of one voucher, spread over this many charges of the serving province. */
const CHARGES = 50;
const HOLDS_PER_CHARGE = 20;

describe('IndexVoucherHoldsByCharge', () => {
  const database = seededDatabase('voucher_holds_by_charge');
  let dataSource: ReturnType<typeof database>;
  const voucherId = randomUUID();

  beforeAll(async () => {
    dataSource = database();
    await dataSource.query(
      `INSERT INTO vouchers (id, holder_user_id, holder_name, issued_fen, available_fen, held_fen, captured_fen, valid_from, valid_until, accepted_in, max_share_percent, issued_by)
       VALUES ($1, gen_random_uuid(), 'Many charges', 10000000, 10000000 - $2::bigint, $2::bigint, 0, now() - interval '1 day', now() + interval '1 year', '{SICHUAN,CHONGQING}', 100, 'test')`,
      [voucherId, CHARGES * HOLDS_PER_CHARGE * 10],
    );
    // A voucher that paid many charges: HOLDS_PER_CHARGE holds of 10 fen on each, held or captured.
    await dataSource.query(
      `INSERT INTO voucher_holds (id, voucher_id, hold_key, serving_province, charge_ref, amount_fen, charge_amount_fen, status, expires_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid(), 'chongqing', 'charge-' || (n % $2::int), 10, 100000, 'HELD', now() + interval '1 hour'
         FROM generate_series(1, $2::int * $3::int) n`,
      [voucherId, CHARGES, HOLDS_PER_CHARGE],
    );
    await dataSource.query('ANALYZE voucher_holds');
  });

  /** The holds PostgreSQL read to sum what the voucher pays towards one charge, as a reservation asks it. */
  async function holdsRead(): Promise<number> {
    const [row] = (await dataSource.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT coalesce(sum(c.amount_fen), 0) FROM voucher_holds c
        WHERE c.voucher_id = $1 AND c.serving_province = 'chongqing' AND c.charge_ref = 'charge-7' AND c.status IN ('HELD', 'CAPTURED')`,
      [voucherId],
    )) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
    const scans = nodesOf(row!['QUERY PLAN'][0].Plan).filter((node) => node['Relation Name'] === 'voucher_holds');
    return scans.reduce((sum, node) => sum + node['Actual Rows'] * node['Actual Loops'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0), 0);
  }

  it("reads only the charge's holds to sum what a voucher pays towards it, and sums them all", async () => {
    expect(await holdsRead()).toBeLessThanOrEqual(HOLDS_PER_CHARGE);
    const facts = await new VoucherRepository(dataSource.manager).reservationFacts({
      holdKey: randomUUID(), voucherId, servingProvince: 'chongqing', chargeRef: 'charge-7',
    });
    expect(facts).toEqual({ existing: null, coveredFen: HOLDS_PER_CHARGE * 10 });
  });

  it('goes down to the index by voucher alone, which reads every hold of the voucher, and up again', async () => {
    await undoThrough(dataSource, 'IndexVoucherHoldsByCharge1796470000000');
    const indexes = async () => ((await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'voucher_holds' ORDER BY 1`)) as { indexname: string }[]).map((row) => row.indexname);
    expect(await indexes()).toContain('voucher_holds_voucher');
    expect(await indexes()).not.toContain('voucher_holds_charge');
    expect(await holdsRead()).toBeGreaterThanOrEqual(CHARGES * HOLDS_PER_CHARGE);
    await dataSource.runMigrations();
    expect(await indexes()).toContain('voucher_holds_charge');
    expect(await indexes()).not.toContain('voucher_holds_voucher');
    expect(await holdsRead()).toBeLessThanOrEqual(HOLDS_PER_CHARGE);
  }, 120_000);
});

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}
