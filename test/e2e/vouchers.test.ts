/**
 * @testSystem in-process: the serving province reaches the issuer through the gateway in this process.
 *
 * Innovation vouchers through the gateway: a Chongqing voucher pays part of a Sichuan charge (the
 * serving province records its intent, reserves on the issuer with the holder's token, captures);
 * every rule of the issuer, idempotency at each step, concurrent payments that cannot overspend, and
 * the two provinces' settlement reports agreeing to the fen.
 */
import { randomUUID } from 'node:crypto';
import { seededUserId } from '../../shared/src';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';
import { closePools, sql } from '../support/registryFixtures';
import { chargeFor } from '../support/chargeFixtures';
import { issueVoucher, payWithVoucher, voucherOf, type Payment } from '../support/voucherFixtures';

const url = () => testSystem().gatewayUrl;
const pay = (voucherId: string, payment: Payment, serving: 'sichuan' | 'chongqing' = 'sichuan') => payWithVoucher(url(), tokenFor, serving, voucherId, payment);
const issue = (terms: Parameters<typeof issueVoucher>[3] = {}) => issueVoucher(url(), tokenFor, 'chongqing', terms);
const read = (voucherId: string) => voucherOf(url(), tokenFor, voucherId);
/** A fresh charge of the serving province for the payer (chen.jing unless named). */
const charge = (amountFen: number, province: 'sichuan' | 'chongqing' = 'sichuan', payer?: string) => chargeFor(sql, province, amountFen, payer);
const CHARGE_FIELDS = 'totalFen voucherPaidFen voucherPendingFen amountDueFen voucherPayments { id voucherId amountFen state }';
async function chargeOf(chargeId: string, username = 'chen.jing') {
  const province = chargeId.startsWith('cq:') ? 'chongqing' : 'sichuan';
  const { body } = await gateway(`query C($id: ID!) { ${province} { charge(id: $id) { ${CHARGE_FIELDS} } } }`, { token: await tokenFor(username), variables: { id: chargeId } });
  expect(body.errors).toBeUndefined();
  return body.data[province].charge;
}

afterAll(closePools);

const HOLD = 'id holdKey status amountFen releaseReason capturedAt';
async function reserve(voucherId: string, holdKey: string, extra: Record<string, unknown> = {}, username = 'chen.jing') {
  return gateway(`mutation R($voucherId: ID!, $holdKey: ID!, $expiresInSeconds: Int) {
      hold: reserveChongqingVoucher(voucherId: $voucherId, amountFen: 1000, chargeAmountFen: 4000, servingProvince: SICHUAN, chargeRef: "CHG-DIRECT",
        holdKey: $holdKey, expiresInSeconds: $expiresInSeconds) { ${HOLD} } }`, {
    token: await tokenFor(username), variables: { voucherId, holdKey, ...extra },
  });
}
const settle = (step: 'capture' | 'release', voucherId: string, holdKey: string) =>
  gateway(`mutation S($voucherId: ID!, $holdKey: ID!) { hold: ${step}ChongqingVoucherHold(voucherId: $voucherId, holdKey: $holdKey, servingProvince: SICHUAN) { ${HOLD} } }`, {
    variables: { voucherId, holdKey },
  });

describe('paying part of a Sichuan charge with a Chongqing voucher', () => {
  it('captures on the issuer, records on the serving side, and a repeat answers the same', async () => {
    const voucherId = await issue({ amountFen: 50_000 });
    const key = randomUUID();
    const chargeRef = await charge(40_000);
    const first = await pay(voucherId, { chargeRef, chargeAmountFen: 40_000, amountFen: 20_000, idempotencyKey: key });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.redemption).toMatchObject({ state: 'CAPTURED', amountFen: 20_000, issuer: 'CHONGQING', voucherId, failure: null });
    const again = await pay(voucherId, { chargeRef, chargeAmountFen: 40_000, amountFen: 20_000, idempotencyKey: key });
    expect(again.body.data.redemption).toEqual(first.body.data.redemption);

    expect(await read(voucherId)).toMatchObject({ issuedFen: 50_000, availableFen: 30_000, heldFen: 0, capturedFen: 20_000, expiredFen: 0 });
    expect((await read(voucherId)).history).toEqual([
      { kind: 'ISSUED', amountFen: 50_000, availableAfterFen: 50_000 },
      { kind: 'HELD', amountFen: 20_000, availableAfterFen: 30_000 },
      { kind: 'CAPTURED', amountFen: 20_000, availableAfterFen: 30_000 },
    ]);
    // The same key with another amount is refused, naming it.
    const other = await pay(voucherId, { chargeRef, chargeAmountFen: 40_000, amountFen: 10_000, idempotencyKey: key });
    expect(onlyError(other.body).extensions).toMatchObject({ code: 'CONFLICT', differingFields: ['amountFen'] });
    // The charge shows what the voucher paid and what the payer still owes; the issuer's hold carries the same key.
    expect(await chargeOf(chargeRef)).toEqual({
      totalFen: 40_000, voucherPaidFen: 20_000, voucherPendingFen: 0, amountDueFen: 20_000,
      voucherPayments: [{ id: first.body.data.redemption.id, voucherId, amountFen: 20_000, state: 'CAPTURED' }],
    });
    expect((await read(voucherId)).holds).toEqual([{ holdKey: first.body.data.redemption.id, status: 'CAPTURED', amountFen: 20_000, releaseReason: null }]);
  });

  it('shows the holder balance and history in me, and nobody else', async () => {
    const voucherId = await issue({ amountFen: 7_700 });
    const { body } = await gateway('{ me { chongqingVouchers { id availableFen history { kind amountFen } } } }', { token: await tokenFor('chen.jing') });
    expect(body.errors).toBeUndefined();
    expect(body.data.me.chongqingVouchers).toContainEqual({ id: voucherId, availableFen: 7_700, history: [{ kind: 'ISSUED', amountFen: 7_700 }] });
    const stranger = await gateway('query V($id: ID!) { chongqing { voucher(id: $id) { id } } }', { token: await tokenFor('li.wei'), variables: { id: voucherId } });
    expect(onlyError(stranger.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe("the serving province's charge", () => {
  it('is paid only by its payer, at what it now comes to, up to what is left due', async () => {
    const voucherId = await issue({ amountFen: 100_000, maxSharePercent: 100 });
    const chargeRef = await charge(10_000);
    const before = await sql('sichuan', 'SELECT count(*)::int AS n FROM voucher_redemptions');
    const unknown = await pay(voucherId, { chargeRef: `sc:charge:${randomUUID()}`, chargeAmountFen: 10_000, amountFen: 100 });
    expect(onlyError(unknown.body).extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'chargeRef' });
    const chongqingCharge = await pay(voucherId, { chargeRef: await charge(10_000, 'chongqing'), chargeAmountFen: 10_000, amountFen: 100 });
    expect(onlyError(chongqingCharge.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'chargeRef' } });
    expect(onlyError(chongqingCharge.body).message).toMatch(/belongs to Chongqing, not Sichuan/);
    const notAnId = await pay(voucherId, { chargeRef: 'CHG-SEQ-1', chargeAmountFen: 10_000, amountFen: 100 });
    expect(onlyError(notAnId.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'chargeRef' });
    const othersCharge = await pay(voucherId, { chargeRef: await charge(10_000, 'sichuan', 'li.wei'), chargeAmountFen: 10_000, amountFen: 100 });
    expect(onlyError(othersCharge.body).extensions?.['code']).toBe('FORBIDDEN');
    const wrongTotal = await pay(voucherId, { chargeRef, chargeAmountFen: 12_000, amountFen: 100 });
    expect(onlyError(wrongTotal.body)).toMatchObject({ message: expect.stringMatching(/comes to 10000 fen, not 12000/), extensions: { code: 'BAD_USER_INPUT' } });
    expect(await sql('sichuan', 'SELECT count(*)::int AS n FROM voucher_redemptions')).toEqual(before);

    // A credit lowers what the charge comes to; the payer pays the charge as it now is.
    const credited = await gateway('mutation($id: ID!) { creditSichuanCharge(chargeId: $id, amountFen: 1000, reason: "Run shortened") { totalFen } }', {
      token: await tokenFor('sc.admin'), variables: { id: chargeRef },
    });
    expect(credited.body.data.creditSichuanCharge.totalFen).toBe(9_000);
    expect(onlyError((await pay(voucherId, { chargeRef, chargeAmountFen: 10_000, amountFen: 100 })).body).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect((await pay(voucherId, { chargeRef, chargeAmountFen: 9_000, amountFen: 6_000 })).body.data.redemption.state).toBe('CAPTURED');
    const tooMuch = await pay(voucherId, { chargeRef, chargeAmountFen: 9_000, amountFen: 3_001 });
    expect(onlyError(tooMuch.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'AMOUNT_DUE', dueFen: 3_000 });
    expect((await pay(voucherId, { chargeRef, chargeAmountFen: 9_000, amountFen: 3_000 })).body.data.redemption.state).toBe('CAPTURED');
    expect(await chargeOf(chargeRef)).toMatchObject({ totalFen: 9_000, voucherPaidFen: 9_000, voucherPendingFen: 0, amountDueFen: 0 });
    expect((await chargeOf(chargeRef)).voucherPayments.map((payment: { amountFen: number }) => payment.amountFen)).toEqual([6_000, 3_000]);
    // What the voucher paid is in the payer's statement and the finance export.
    const statement = await gateway('query($from: DateTime!, $to: DateTime!) { sichuan { statement(from: $from, to: $to) { charges { id voucherPaidFen amountDueFen } } } }', {
      token: await tokenFor('chen.jing'), variables: { from: new Date(Date.now() - 600_000).toISOString(), to: new Date(Date.now() + 600_000).toISOString() },
    });
    expect(statement.body.data.sichuan.statement.charges).toContainEqual({ id: chargeRef, voucherPaidFen: 9_000, amountDueFen: 0 });
  });

  it('lets two vouchers paying one charge at once take no more than is due between them', async () => {
    const [first, second] = await Promise.all([issue({ maxSharePercent: 100 }), issue({ maxSharePercent: 100 })]);
    const chargeRef = await charge(10_000);
    const outcomes = await Promise.all([first, second].map((voucherId) => pay(voucherId, { chargeRef, chargeAmountFen: 10_000, amountFen: 6_000 })));
    expect(outcomes.filter((o) => o.body.data?.redemption?.state === 'CAPTURED')).toHaveLength(1);
    expect(outcomes.filter((o) => o.body.errors?.[0]?.extensions).map((o) => o.body.errors![0]!.extensions)).toEqual([
      expect.objectContaining({ code: 'CONFLICT', reason: 'AMOUNT_DUE', dueFen: 4_000 }),
    ]);
    expect(await chargeOf(chargeRef)).toMatchObject({ voucherPaidFen: 6_000, voucherPendingFen: 0, amountDueFen: 4_000 });
  });

  it('refuses a negative voucher part whatever the code does', async () => {
    const chargeRef = await charge(5_000);
    await expect(sql('sichuan', 'UPDATE charges SET voucher_pending_fen = -1 WHERE id = $1', [chargeRef.split(':')[2]])).rejects.toThrow(/charges_voucher_pending/);
  });
});

describe("the issuer's rules", () => {
  it('refuses more than the share of a charge the voucher may cover, and the refusal is answered again on a repeat', async () => {
    const voucherId = await issue({ maxSharePercent: 30 });
    const key = randomUUID();
    const shared = await charge(10_000);
    const refused = await pay(voucherId, { chargeRef: shared, chargeAmountFen: 10_000, amountFen: 3_001, idempotencyKey: key });
    expect(onlyError(refused.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'SHARE_LIMIT', maxFen: 3_000 });
    const repeated = await pay(voucherId, { chargeRef: shared, chargeAmountFen: 10_000, amountFen: 3_001, idempotencyKey: key });
    expect(onlyError(repeated.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'SHARE_LIMIT' });
    expect(await read(voucherId)).toMatchObject({ availableFen: 100_000, heldFen: 0, capturedFen: 0 });
    // The refused payment left nothing on the charge.
    expect(await chargeOf(shared)).toMatchObject({ voucherPaidFen: 0, voucherPendingFen: 0, amountDueFen: 10_000 });
    // Two payments of one charge together may not exceed the share either.
    const twice = await charge(10_000);
    expect((await pay(voucherId, { chargeRef: twice, chargeAmountFen: 10_000, amountFen: 2_000 })).body.data.redemption.state).toBe('CAPTURED');
    const second = await pay(voucherId, { chargeRef: twice, chargeAmountFen: 10_000, amountFen: 1_001 });
    expect(onlyError(second.body).extensions).toMatchObject({ reason: 'SHARE_LIMIT', maxFen: 1_000 });
  });

  it('refuses a province the voucher does not pay in, a voucher not yet valid, and a caller who is not its holder', async () => {
    const chongqingOnly = await issue({ acceptedIn: ['CHONGQING'] });
    expect(onlyError((await pay(chongqingOnly, { chargeRef: await charge(200), amountFen: 100 })).body).message).toMatch(/pays only for services in chongqing, not sichuan/);
    expect((await pay(chongqingOnly, { chargeRef: await charge(200, 'chongqing'), amountFen: 100 }, 'chongqing')).body.data.redemption.state).toBe('CAPTURED');

    const later = await issue({ validFrom: new Date(Date.now() + 86_400_000), validUntil: new Date(Date.now() + 5 * 86_400_000) });
    expect(onlyError((await pay(later, { chargeRef: await charge(200), amountFen: 100 })).body).message).toMatch(/valid only from/);

    // li.wei pays his own charge with chen.jing's voucher: the issuer refuses.
    const notHers = await pay(await issue(), { chargeRef: await charge(200, 'sichuan', 'li.wei'), amountFen: 100, holder: 'li.wei' });
    expect(onlyError(notHers.body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('answers bad input with BAD_USER_INPUT and writes nothing', async () => {
    const voucherId = await issue();
    const before = await sql('sichuan', 'SELECT count(*)::int AS n FROM voucher_redemptions');
    const chargeRef = await charge(200);
    for (const [payment, field] of [
      [{ amountFen: 0 }, 'arguments.amountFen'],
      [{ amountFen: -5 }, 'arguments.amountFen'],
      [{ amountFen: 100, chargeAmountFen: 50 }, 'arguments.amountFen'],
      [{ amountFen: 100, idempotencyKey: 'x' }, 'arguments.idempotencyKey'],
    ] as const) {
      const { body } = await pay(voucherId, { chargeRef, ...payment } as Payment);
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(field);
    }
    const wrongKind = await pay('cq:lab:7d1b0a52-3f0e-4f55-9d3c-7d2f0a6e1b11', { chargeRef, amountFen: 100 });
    expect(onlyError(wrongKind.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'voucherId' } });
    const fraction = await gateway('mutation { paySichuanChargeWithVoucher(chargeRef: "C", chargeAmountFen: 10.5, voucherId: "x", amountFen: 1, idempotencyKey: "12345678") { id } }', {
      token: await tokenFor('chen.jing'),
    });
    expect(fraction.body.errors![0]!.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await sql('sichuan', 'SELECT count(*)::int AS n FROM voucher_redemptions')).toEqual(before);
    const issueBad = await gateway('mutation I($input: IssueVoucherInput!) { issueChongqingVoucher(input: $input) { id } }', {
      token: await tokenFor('cq.admin'),
      variables: { input: { holderUserId: 'nobody', holderName: 'X', amountFen: 0, validFrom: new Date().toISOString(), validUntil: new Date(Date.now() - 1000).toISOString(), acceptedIn: [], maxSharePercent: 101 } },
    });
    const error = onlyError(issueBad.body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    for (const field of ['input.holderUserId', 'input.holderName', 'input.amountFen', 'input.acceptedIn', 'input.maxSharePercent']) expect(error.message).toContain(field);
    const byOtherAdmin = await gateway('mutation I($input: IssueVoucherInput!) { issueChongqingVoucher(input: $input) { id } }', {
      token: await tokenFor('sc.admin'),
      variables: { input: { holderUserId: seededUserId('chen.jing'), holderName: 'Chen', amountFen: 10, validFrom: new Date().toISOString(), validUntil: new Date(Date.now() + 86_400_000).toISOString(), acceptedIn: ['SICHUAN'], maxSharePercent: 50 } },
    });
    expect(onlyError(byOtherAdmin.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('issuing', () => {
  const issueTo = async (holderUserId: string) =>
    gateway('mutation I($input: IssueVoucherInput!) { issueChongqingVoucher(input: $input) { id holder { id username } } }', {
      token: await tokenFor('cq.admin'),
      variables: { input: { holderUserId, holderName: 'Liangjiang Biotech Co., Ltd.', amountFen: 10_000, validFrom: new Date().toISOString(),
        validUntil: new Date(Date.now() + 86_400_000).toISOString(), acceptedIn: ['SICHUAN'], maxSharePercent: 50 } },
    });
  const issuedCount = async () => (await sql('chongqing', 'SELECT count(*)::int AS n FROM vouchers'))[0]!['n'];

  it('issues only to a person the platform has an account for, asking the platform, and writes nothing otherwise', async () => {
    const before = await issuedCount();
    const unknown = await issueTo(randomUUID());
    expect(onlyError(unknown.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.holderUserId', reason: 'UNKNOWN_HOLDER' });
    expect(onlyError(unknown.body).message).toMatch(/no account/);
    expect(await issuedCount()).toBe(before);
    const known = await issueTo(seededUserId('liu.yang'));
    expect(known.body.errors).toBeUndefined();
    expect(known.body.data.issueChongqingVoucher.holder).toEqual({ id: seededUserId('liu.yang'), username: 'liu.yang' });
  });
});

describe('the admins\' lists of vouchers, holds and payments', () => {
  /** Every node of a list, a page of `first` at a time, following pageInfo.endCursor. */
  async function walk(province: 'sichuan' | 'chongqing', field: string, args: string, node: string, first: number) {
    const nodes: Record<string, unknown>[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let pages = 0; pages < 1_000; pages++) {
      const { body }: { body: any } = await gateway(`query L($after: String) { ${province} { list: ${field}(${args}${args ? ', ' : ''}first: ${first}, after: $after) {
          totalCount edges { cursor node { ${node} } } pageInfo { hasNextPage endCursor } } } }`, {
        token: await tokenFor(province === 'sichuan' ? 'sc.admin' : 'cq.admin'), variables: { after },
      });
      expect(body.errors).toBeUndefined();
      const list: { totalCount: number; edges: { cursor: string; node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = body.data[province].list;
      totalCount = list.totalCount;
      nodes.push(...list.edges.map((edge) => edge.node));
      if (list.edges.length > 0) expect(list.pageInfo.endCursor).toBe(list.edges.at(-1)!.cursor);
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    return { nodes, totalCount };
  }

  it('pages past 200 rows with the one cursor codec: every voucher once, newest first, and as many as the count', async () => {
    // More than the 200 a list used to stop at, written as the issuer's rows are (a fixture of the table, not of the API).
    await sql('chongqing', `INSERT INTO vouchers (id, holder_user_id, holder_name, issued_fen, available_fen, held_fen, captured_fen, expired_fen,
        valid_from, valid_until, accepted_in, max_share_percent, issued_by, created_at)
      SELECT gen_random_uuid(), $1, 'Paging fixture ' || n, 100, 100, 0, 0, 0, now() - interval '1 day', now() + interval '30 days', '{sichuan}', 50, 'fixture',
             now() - interval '1 hour' + (n % 7) * interval '1 microsecond'
      FROM generate_series(1, 230) AS n`, [seededUserId('liu.yang')]);
    const { nodes, totalCount } = await walk('chongqing', 'vouchers', '', 'id', 37);
    const n = (await sql('chongqing', 'SELECT count(*)::int AS n FROM vouchers'))[0]!['n'];
    expect(totalCount).toBe(n);
    expect(nodes).toHaveLength(n);
    expect(new Set(nodes.map((node) => node['id'])).size).toBe(n);
    const after = await gateway('{ chongqing { vouchers(first: 5, after: "not-a-cursor") { totalCount } } }', { token: await tokenFor('cq.admin') });
    expect(onlyError(after.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('pages holds oldest first and payments newest first, each row once', async () => {
    const voucherId = await issue({ amountFen: 50_000 });
    for (const amountFen of [100, 200, 300]) expect((await pay(voucherId, { chargeRef: await charge(amountFen * 2), amountFen })).body.data.redemption.state).toBe('CAPTURED');
    const holds = await walk('chongqing', 'voucherHolds', 'status: CAPTURED', 'holdKey createdAt', 2);
    expect(holds.nodes).toHaveLength(holds.totalCount);
    expect(new Set(holds.nodes.map((node) => node['holdKey'])).size).toBe(holds.totalCount);
    const created = holds.nodes.map((node) => Date.parse(node['createdAt'] as string));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const payments = await walk('sichuan', 'voucherRedemptions', 'state: CAPTURED', 'id createdAt', 2);
    expect(payments.nodes).toHaveLength(payments.totalCount);
    const paidAt = payments.nodes.map((node) => Date.parse(node['createdAt'] as string));
    expect(paidAt).toEqual([...paidAt].sort((a, b) => b - a));
  });
});

describe('voucher sums past a GraphQL Int', () => {
  it('are exact decimal strings in stats, where the deprecated Int fields refuse, naming the exact one, rather than answer a wrong figure', async () => {
    const from = new Date(Date.now() - 60_000);
    // Three vouchers of 900 million fen each: 2.7 billion fen, past 2^31 (2,147,483,647).
    for (let i = 0; i < 3; i++) await issue({ amountFen: 900_000_000, holder: 'liu.yang' });
    const to = new Date(Date.now() + 60_000);
    const exact = await gateway('query F($from: DateTime, $to: DateTime) { chongqing { stats(from: $from, to: $to) { vouchersIssued voucherIssuedTotalFen } } }', { variables: { from, to } });
    expect(exact.body.errors).toBeUndefined();
    // What the issuer's rows of the period come to (earlier tests of this file issued some too), summed by PostgreSQL.
    const [rows] = await sql('chongqing', 'SELECT count(*)::int AS n, sum(issued_fen)::text AS fen FROM vouchers WHERE created_at >= $1 AND created_at < $2', [from, to]);
    expect(exact.body.data.chongqing.stats).toEqual({ vouchersIssued: rows!['n'], voucherIssuedTotalFen: rows!['fen'] });
    expect(BigInt(exact.body.data.chongqing.stats.voucherIssuedTotalFen)).toBeGreaterThanOrEqual(2_700_000_000n);
    const old = await gateway('query F($from: DateTime, $to: DateTime) { chongqing { stats(from: $from, to: $to) { voucherFenIssued } } }', { variables: { from, to } });
    expect(onlyError(old.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', exactField: 'voucherIssuedTotalFen' });
    expect(onlyError(old.body).message).toMatch(/more than a GraphQL Int holds; ask for voucherIssuedTotalFen/);
  });
});

describe("the issuer's API, step by step", () => {
  it('reserve, capture and release each answer the same when repeated; a key released before it was reserved holds nothing', async () => {
    const voucherId = await issue({ amountFen: 10_000 });
    const holdKey = randomUUID();
    const held = (await reserve(voucherId, holdKey)).body.data.hold;
    expect(held).toMatchObject({ holdKey, status: 'HELD', amountFen: 1000 });
    expect((await reserve(voucherId, holdKey)).body.data.hold).toEqual(held);
    const pending = await gateway('{ chongqing { voucherHolds(status: HELD, first: 100) { edges { node { holdKey } } } } }', { token: await tokenFor('cq.admin') });
    expect(pending.body.data.chongqing.voucherHolds.edges).toContainEqual({ node: { holdKey } });
    const captured = (await settle('capture', voucherId, holdKey)).body.data.hold;
    expect(captured).toMatchObject({ id: held.id, status: 'CAPTURED' });
    expect((await settle('capture', voucherId, holdKey)).body.data.hold).toEqual(captured);
    expect((await settle('release', voucherId, holdKey)).body.data.hold).toEqual(captured);
    expect(await read(voucherId)).toMatchObject({ availableFen: 9_000, capturedFen: 1_000, heldFen: 0 });

    const abandoned = randomUUID();
    expect((await settle('release', voucherId, abandoned)).body.data.hold).toMatchObject({ status: 'RELEASED', releaseReason: 'ABORTED', amountFen: 0 });
    expect((await reserve(voucherId, abandoned)).body.data.hold).toMatchObject({ status: 'RELEASED', releaseReason: 'ABORTED' });
    expect(await read(voucherId)).toMatchObject({ availableFen: 9_000, capturedFen: 1_000, heldFen: 0 });
    // Only the holder reserves.
    expect(onlyError((await reserve(voucherId, randomUUID(), {}, 'li.wei')).body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('a hold never captured expires: capture then answers RELEASED and the balance is back', async () => {
    const voucherId = await issue({ amountFen: 5_000 });
    const holdKey = randomUUID();
    expect((await reserve(voucherId, holdKey, { expiresInSeconds: 1 })).body.data.hold.status).toBe('HELD');
    expect(await read(voucherId)).toMatchObject({ availableFen: 4_000, heldFen: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await settle('capture', voucherId, holdKey)).body.data.hold).toMatchObject({ status: 'RELEASED', releaseReason: 'EXPIRED' });
    expect(await read(voucherId)).toMatchObject({ availableFen: 5_000, heldFen: 0, capturedFen: 0 });
  });
});

describe('concurrent payments with one voucher', () => {
  it('never spend more than its balance: exactly as many succeed as it covers', async () => {
    const voucherId = await issue({ amountFen: 100_000 });
    const charges = await Promise.all(Array.from({ length: 10 }, () => charge(60_000)));
    const outcomes = await Promise.all(charges.map((chargeRef) => pay(voucherId, { chargeRef, chargeAmountFen: 60_000, amountFen: 30_000 })));
    const captured = outcomes.filter((o) => o.body.data?.redemption?.state === 'CAPTURED');
    const refused = outcomes.filter((o) => o.body.errors?.[0]?.extensions?.['reason'] === 'INSUFFICIENT_BALANCE');
    expect(captured).toHaveLength(3);
    expect(refused).toHaveLength(7);
    expect(await read(voucherId)).toMatchObject({ availableFen: 10_000, heldFen: 0, capturedFen: 90_000 });
    const states = await sql('sichuan', "SELECT state, count(*)::int AS n FROM voucher_redemptions WHERE voucher_id = $1 GROUP BY state ORDER BY state", [voucherId]);
    expect(states).toEqual([{ state: 'CAPTURED', n: 3 }, { state: 'REFUSED', n: 7 }]);
  });
});

describe('settlement between the provinces', () => {
  it('lists the seeded payment across the border on both sides, and the charge it paid shows it', async () => {
    const from = new Date(Date.now() - 60 * 86_400_000);
    const to = new Date(Date.now() + 60_000);
    const lines = 'holdKey voucherId chargeRef issuer servingProvince amountFen capturedAt';
    const sichuan = (await gateway(`query S($from: DateTime!, $to: DateTime!) { sichuan { voucherSettlement(from: $from, to: $to) { claimFromPartner { ${lines} } } } }`, {
      token: await tokenFor('sc.admin'), variables: { from, to },
    })).body.data.sichuan.voucherSettlement.claimFromPartner;
    const chongqing = (await gateway(`query S($from: DateTime!, $to: DateTime!) { chongqing { voucherSettlement(from: $from, to: $to) { owedToPartner { ${lines} } } } }`, {
      token: await tokenFor('cq.admin'), variables: { from, to },
    })).body.data.chongqing.voucherSettlement.owedToPartner;
    const seeded = sichuan.filter((line: { amountFen: number }) => line.amountFen === 150_000);
    expect(seeded).toHaveLength(1);
    expect(chongqing).toContainEqual(seeded[0]);
    expect(seeded[0]).toMatchObject({ issuer: 'CHONGQING', servingProvince: 'SICHUAN' });
    expect(await chargeOf(seeded[0].chargeRef)).toMatchObject({
      totalFen: 300_000, voucherPaidFen: 150_000, voucherPendingFen: 0, amountDueFen: 150_000,
      voucherPayments: [{ id: seeded[0].holdKey, voucherId: seeded[0].voucherId, amountFen: 150_000, state: 'CAPTURED' }],
    });
    // The issuer's voucher history has the payment beside its issue.
    expect((await read(seeded[0].voucherId)).holds).toContainEqual({ holdKey: seeded[0].holdKey, status: 'CAPTURED', amountFen: 150_000, releaseReason: null });
  });

  it("the issuer's and the server's reports of a period list the same payments and agree to the fen", async () => {
    // From now: the step-by-step tests above captured holds the serving side never recorded (they called the issuer directly).
    const from = new Date();
    const voucherId = await issue({ amountFen: 90_000 });
    for (const amountFen of [1_234, 5_678, 9_999]) expect((await pay(voucherId, { chargeRef: await charge(amountFen * 2), amountFen })).body.data.redemption.state).toBe('CAPTURED');
    const to = new Date(Date.now() + 60_000);
    const report = `settlement: voucherSettlement(from: $from, to: $to) {
      owedToPartnerTotalFen claimFromPartnerTotalFen netFromPartnerTotalFen owedToPartnerFen claimFromPartnerFen netFromPartnerFen
      owedToPartner { holdKey voucherId chargeRef issuer servingProvince amountFen capturedAt }
      claimFromPartner { holdKey voucherId chargeRef issuer servingProvince amountFen capturedAt } }`;
    const sichuan = (await gateway(`query S($from: DateTime!, $to: DateTime!) { sichuan { ${report} } }`, { token: await tokenFor('sc.admin'), variables: { from, to } })).body.data.sichuan.settlement;
    const chongqing = (await gateway(`query S($from: DateTime!, $to: DateTime!) { chongqing { ${report} } }`, { token: await tokenFor('cq.admin'), variables: { from, to } })).body.data.chongqing.settlement;
    expect(BigInt(sichuan.claimFromPartnerTotalFen)).toBeGreaterThanOrEqual(BigInt(1_234 + 5_678 + 9_999));
    expect(sichuan.claimFromPartnerTotalFen).toBe(chongqing.owedToPartnerTotalFen);
    expect(sichuan.claimFromPartner).toEqual(chongqing.owedToPartner);
    expect(BigInt(sichuan.netFromPartnerTotalFen)).toBe(-BigInt(chongqing.netFromPartnerTotalFen));
    // The sums are the lines' sums to the fen, and the deprecated Int fields say the same while they fit.
    const sum = (lines: { amountFen: number }[]) => String(lines.reduce((total, line) => total + line.amountFen, 0));
    expect(sichuan.claimFromPartnerTotalFen).toBe(sum(sichuan.claimFromPartner));
    expect(chongqing.owedToPartnerTotalFen).toBe(sum(chongqing.owedToPartner));
    expect(String(sichuan.claimFromPartnerFen)).toBe(sichuan.claimFromPartnerTotalFen);
    expect(String(chongqing.netFromPartnerFen)).toBe(chongqing.netFromPartnerTotalFen);
    expect(sichuan.claimFromPartner.filter((line: { voucherId: string }) => line.voucherId === voucherId).map((line: { amountFen: number }) => line.amountFen))
      .toEqual([1_234, 5_678, 9_999]);
  });
});
