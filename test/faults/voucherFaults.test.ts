import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startPrivateSystem, type PrivateSystem } from '../support/privateSystem/startPrivateSystem';
import { graphql } from '../support/system';
import { until } from '../support/until';
import { chargeFor } from '../support/chargeFixtures';
import { issueVoucher, payWithVoucher, voucherOf } from '../support/voucherFixtures';

/**
 * Paying a Sichuan charge with a Chongqing voucher while processes die. The
 * protocol's steps: (0) Sichuan writes its intent, (1) Chongqing reserves,
 * (2) Sichuan records the hold, (3) Chongqing captures, (4) Sichuan records the
 * capture. For every gap between two steps, Sichuan is killed (SIGKILL) with its
 * database as that gap leaves it and the issuer as the same gap leaves it, then
 * started again: its sweeper finishes or undoes the payment. The gateway and the
 * issuer are stopped too. After each case no fen is lost or created: what
 * Chongqing captured is exactly what Sichuan recorded captured, nothing stays held.
 */
let system: PrivateSystem;
let url: string;
const tokens = new Map<string, Promise<string>>();

const HOLD_SECONDS = 4;

beforeAll(async () => {
  system = await startPrivateSystem({
    // Sweep often and take up a stopped payment as soon as allowed (the crash states below are written a minute old).
    VOUCHER_SWEEP_INTERVAL_MS: '200',
    VOUCHER_RESUME_AFTER_MS: '15000',
    VOUCHER_HOLD_SECONDS: String(HOLD_SECONDS),
    RATE_LIMIT_PER_MINUTE: '0',
    CIRCUIT_BREAKER_RESET_MS: '250',
  });
  url = system.description.gatewayUrl;
}, 180_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

function tokenOf(username: string): Promise<string> {
  let token = tokens.get(username);
  if (!token) {
    token = graphql(url, 'mutation($u: String!) { login(username: $u, password: "shuangcheng-demo") { token } }', { variables: { u: username } })
      .then(({ body }) => body.data.login.token as string);
    tokens.set(username, token);
  }
  return token;
}

async function sql<T = Record<string, any>>(owner: 'sichuan' | 'chongqing', text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: system.description.databaseUrls[owner] });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Kills a service outright (no shutdown of its own) and waits until it is gone. */
async function kill(service: 'sichuan' | 'chongqing' | 'gateway'): Promise<void> {
  const pid = system.pids()[service]!;
  process.kill(pid, 'SIGKILL');
  await until(`${service} gone`, async () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true;
    }
  });
}

const HOLD = 'id status releaseReason';
/** A step asked of the issuer as the serving side asks it. A hold lasts long enough to outlive a restart of Sichuan unless `expiresInSeconds` says otherwise. */
async function issuerStep(step: 'reserve' | 'capture', voucherId: string, holdKey: string, amountFen: number, chargeRef: string, expiresInSeconds = 120) {
  const query = step === 'reserve'
    ? `mutation R($v: ID!, $k: ID!, $a: Int!, $c: String!) { hold: reserveChongqingVoucher(voucherId: $v, amountFen: $a, chargeAmountFen: ${CHARGE_FEN}, servingProvince: SICHUAN,
         chargeRef: $c, holdKey: $k, expiresInSeconds: ${expiresInSeconds}) { ${HOLD} } }`
    : `mutation C($v: ID!, $k: ID!) { hold: captureChongqingVoucherHold(voucherId: $v, holdKey: $k, servingProvince: SICHUAN) { ${HOLD} } }`;
  const { body } = await graphql(url, query, { token: await tokenOf('chen.jing'), variables: { v: voucherId, k: holdKey, a: amountFen, c: chargeRef } });
  if (!body.data?.hold) throw new Error(`${step} failed: ${JSON.stringify(body.errors)}`);
  return body.data.hold as { id: string; status: string };
}

/**
 * Writes Sichuan's side as a process killed at that point leaves it: the redemption row in `state`, and with it (in
 * the database) the charge's pending voucher part, as its first transaction wrote them.
 */
async function leaveRedemption(state: 'INTENDED' | 'RESERVED', redemption: { id: string; voucherId: string; chargeRef: string; amountFen: number; holdId?: string }) {
  const chargeId = redemption.chargeRef.split(':')[2]!;
  await sql('sichuan', `INSERT INTO voucher_redemptions (id, user_id, idempotency_key, charge_ref, charge_id, voucher_id, issuer, amount_fen, charge_amount_fen, state, hold_id, updated_at)
    VALUES ($1, (SELECT user_id FROM voucher_redemptions LIMIT 1), $2, $3, $4, $5, 'chongqing', $6, ${CHARGE_FEN}, $7, $8, now() - interval '1 minute')`,
  [redemption.id, randomUUID(), redemption.chargeRef, chargeId, redemption.voucherId, redemption.amountFen, state, redemption.holdId ?? null]);
}

/** Every charge here comes to this much; a test's payments take at most a few thousand fen of it. */
const CHARGE_FEN = 100_000;
/** A fresh Sichuan charge of chen.jing's. */
const newCharge = () => chargeFor(sql, 'sichuan', CHARGE_FEN);

async function redemptionState(id: string): Promise<string> {
  return (await sql<{ state: string }>('sichuan', 'SELECT state FROM voucher_redemptions WHERE id = $1', [id]))[0]!.state;
}

/** Waits for Sichuan to settle a redemption, and returns its final state. */
function settled(id: string): Promise<string> {
  return until(`redemption ${id} settled`, async () => {
    const state = await redemptionState(id);
    return state === 'CAPTURED' || state === 'RELEASED' ? state : undefined;
  }, 30_000);
}

/**
 * No fen lost or created: the voucher's parts add up to what was issued, nothing is held, what Chongqing
 * captured is what Sichuan recorded captured, and Sichuan's charges hold exactly those captured parts.
 */
async function expectBooksAgree(voucherId: string, issuedFen: number) {
  const voucher = await voucherOf(url, tokenOf, voucherId);
  expect(voucher.heldFen).toBe(0);
  expect(voucher.availableFen + voucher.capturedFen + voucher.expiredFen).toBe(issuedFen);
  const [served] = await sql<{ captured: number; pending: number }>('sichuan', `SELECT
      COALESCE(SUM(amount_fen) FILTER (WHERE state = 'CAPTURED'), 0)::int AS captured,
      COUNT(*) FILTER (WHERE state IN ('INTENDED', 'RESERVED'))::int AS pending
    FROM voucher_redemptions WHERE voucher_id = $1`, [voucherId]);
  expect(served).toEqual({ captured: voucher.capturedFen, pending: 0 });
  const [ledger] = await sql<{ pending: number; captured: number }>('sichuan', `SELECT COALESCE(SUM(c.voucher_pending_fen), 0)::int AS pending,
      COALESCE(SUM(c.voucher_captured_fen), 0)::int AS captured
    FROM charges c WHERE c.id IN (SELECT charge_id FROM voucher_redemptions WHERE voucher_id = $1)`, [voucherId]);
  expect(ledger).toEqual({ pending: 0, captured: voucher.capturedFen });
  return voucher;
}

async function restartSichuanWith(crashState: () => Promise<void>) {
  await kill('sichuan');
  await crashState();
  await system.startService('sichuan');
}

const ISSUED = 50_000;

describe('Sichuan killed between two steps of a voucher payment, then started again', () => {
  let voucherId: string;
  beforeAll(async () => {
    voucherId = await issueVoucher(url, tokenOf, 'chongqing', { amountFen: ISSUED, maxSharePercent: 100 });
    // One payment through the whole protocol first, so the holder's id is in Sichuan's table for the crash states below.
    const { body } = await payWithVoucher(url, tokenOf, 'sichuan', voucherId, { chargeRef: await newCharge(), chargeAmountFen: CHARGE_FEN, amountFen: 1_000 });
    expect(body.data.redemption.state).toBe('CAPTURED');
  }, 60_000);

  it('after writing its intent, before the issuer heard of it: undone, and a late reservation holds nothing', async () => {
    const redemption = { id: randomUUID(), voucherId, chargeRef: await newCharge(), amountFen: 2_000 };
    await restartSichuanWith(() => leaveRedemption('INTENDED', redemption));
    expect(await settled(redemption.id)).toBe('RELEASED');
    // The reservation that was never sent arrives after all: the issuer answers it released.
    expect(await issuerStep('reserve', voucherId, redemption.id, 2_000, redemption.chargeRef)).toMatchObject({ status: 'RELEASED', releaseReason: 'ABORTED' });
    expect((await expectBooksAgree(voucherId, ISSUED)).capturedFen).toBe(1_000);
  }, 60_000);

  it('after the issuer reserved, before Sichuan recorded it: the hold is released', async () => {
    const redemption = { id: randomUUID(), voucherId, chargeRef: await newCharge(), amountFen: 3_000 };
    await restartSichuanWith(async () => {
      expect((await issuerStep('reserve', voucherId, redemption.id, redemption.amountFen, redemption.chargeRef)).status).toBe('HELD');
      await leaveRedemption('INTENDED', redemption);
    });
    expect(await settled(redemption.id)).toBe('RELEASED');
    expect((await expectBooksAgree(voucherId, ISSUED)).capturedFen).toBe(1_000);
  }, 60_000);

  it('after Sichuan recorded the hold, before capturing: the capture is finished', async () => {
    const redemption = { id: randomUUID(), voucherId, chargeRef: await newCharge(), amountFen: 4_000 };
    await restartSichuanWith(async () => {
      const hold = await issuerStep('reserve', voucherId, redemption.id, redemption.amountFen, redemption.chargeRef);
      await leaveRedemption('RESERVED', { ...redemption, holdId: hold.id });
    });
    expect(await settled(redemption.id)).toBe('CAPTURED');
    expect((await expectBooksAgree(voucherId, ISSUED)).capturedFen).toBe(5_000);
  }, 60_000);

  it('after the issuer captured, before Sichuan recorded it: the repeated capture is answered the same, and recorded once', async () => {
    const redemption = { id: randomUUID(), voucherId, chargeRef: await newCharge(), amountFen: 5_000 };
    await restartSichuanWith(async () => {
      const hold = await issuerStep('reserve', voucherId, redemption.id, redemption.amountFen, redemption.chargeRef);
      expect((await issuerStep('capture', voucherId, redemption.id, 0, '')).status).toBe('CAPTURED');
      await leaveRedemption('RESERVED', { ...redemption, holdId: hold.id });
    });
    expect(await settled(redemption.id)).toBe('CAPTURED');
    const voucher = await expectBooksAgree(voucherId, ISSUED);
    expect(voucher.capturedFen).toBe(10_000);
    expect(voucher.history.filter((event) => event.kind === 'CAPTURED')).toHaveLength(3);
  }, 60_000);

  it('killed for real while recording a capture the issuer made: started again, it records it', async () => {
    // A lock on the charge's row, taken once Sichuan recorded the hold, holds the payment just before Sichuan records
    // the capture. The moment between the two is short, so a payment that slips past the lock (or reaches it before
    // the hold is recorded) is let through, checked, and tried again with a new charge.
    let caughtMidway = false;
    let paidFen = 0;
    // At most five tries of 6,000 fen: the 40,000 still available on the voucher pays for all of them.
    for (let attempt = 0; attempt < 5 && !caughtMidway; attempt += 1) {
      const chargeRef = await newCharge();
      const lock = new Client({ connectionString: system.description.databaseUrls.sichuan });
      await lock.connect();
      try {
        const paying = payWithVoucher(url, tokenOf, 'sichuan', voucherId, { chargeRef, chargeAmountFen: CHARGE_FEN, amountFen: 6_000 }).catch((error: unknown) => error);
        // Polled on one connection without pause: the hold is recorded only moments before the capture.
        const deadline = Date.now() + 30_000;
        let state: string | undefined;
        while (state === undefined || state === 'INTENDED') {
          if (Date.now() > deadline) throw new Error(`payment ${chargeRef} was not reserved within 30 s`);
          const rows = await lock.query<{ state: string }>('SELECT state FROM voucher_redemptions WHERE charge_ref = $1', [chargeRef]);
          state = rows.rows[0]?.state;
        }
        await lock.query('BEGIN');
        await lock.query('SELECT * FROM charges WHERE id = $1 FOR UPDATE', [chargeRef.split(':')[2]]);
        const id = (await lock.query<{ id: string }>('SELECT id FROM voucher_redemptions WHERE charge_ref = $1', [chargeRef])).rows[0]!.id;
        const issuerCaptured = async () => (await voucherOf(url, tokenOf, voucherId)).holds.find((hold) => hold.holdKey === id)?.status === 'CAPTURED';
        if ((await redemptionState(id)) !== 'RESERVED') {
          await lock.query('ROLLBACK');
          await paying;
          expect(await settled(id)).toBe('CAPTURED');
          paidFen += 6_000;
          continue;
        }
        await until('the issuer captured', async () => ((await issuerCaptured()) ? true : undefined));
        await kill('sichuan');
        expect(await redemptionState(id)).toBe('RESERVED');
        await lock.query('ROLLBACK');
        await paying;
        await system.startService('sichuan');
        expect(await settled(id)).toBe('CAPTURED');
        paidFen += 6_000;
        caughtMidway = true;
      } finally {
        await lock.end();
      }
    }
    expect(caughtMidway).toBe(true);
    expect((await expectBooksAgree(voucherId, ISSUED)).capturedFen).toBe(10_000 + paidFen);
  }, 120_000);
});

describe('the issuer or the gateway away', () => {
  it('Chongqing stopped while a hold waits: the hold expires and is released by Chongqing, and Sichuan records it released', async () => {
    const voucherId = await issueVoucher(url, tokenOf, 'chongqing', { amountFen: ISSUED, maxSharePercent: 100 });
    const redemption = { id: randomUUID(), voucherId, chargeRef: await newCharge(), amountFen: 7_000 };
    await restartSichuanWith(async () => {
      const hold = await issuerStep('reserve', voucherId, redemption.id, redemption.amountFen, redemption.chargeRef, HOLD_SECONDS);
      await leaveRedemption('RESERVED', { ...redemption, holdId: hold.id });
      await kill('chongqing');
    });
    // Sichuan cannot capture meanwhile, and keeps trying.
    await new Promise((resolve) => setTimeout(resolve, (HOLD_SECONDS + 1) * 1000));
    expect(await redemptionState(redemption.id)).toBe('RESERVED');
    await system.startService('chongqing');
    expect(await settled(redemption.id)).toBe('RELEASED');
    const voucher = await expectBooksAgree(voucherId, ISSUED);
    expect(voucher).toMatchObject({ availableFen: ISSUED, capturedFen: 0 });
    expect(voucher.holds).toEqual([{ holdKey: redemption.id, status: 'RELEASED', amountFen: 7_000, releaseReason: 'EXPIRED' }]);
  }, 90_000);

  it('the gateway stopped: paying answers SERVICE_UNAVAILABLE, and once it is back nothing was paid and nothing stays held', async () => {
    const voucherId = await issueVoucher(url, tokenOf, 'chongqing', { amountFen: ISSUED, maxSharePercent: 100 });
    await kill('gateway');
    // Asked of Sichuan directly: the gateway is what is missing.
    const direct = system.description.subgraphUrls.sichuan;
    const { body } = await payWithVoucher(direct, tokenOf, 'sichuan', voucherId, { chargeRef: await newCharge(), chargeAmountFen: CHARGE_FEN, amountFen: 8_000 });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', redemptionState: 'INTENDED' });
    expect(body.errors![0]!.message).toMatch(/could not be reached/);
    await system.startService('gateway');
    const [left] = await sql<{ id: string }>('sichuan', 'SELECT id FROM voucher_redemptions WHERE voucher_id = $1', [voucherId]);
    expect(await settled(left!.id)).toBe('RELEASED');
    expect(await expectBooksAgree(voucherId, ISSUED)).toMatchObject({ availableFen: ISSUED, capturedFen: 0 });
  }, 90_000);

  it('concurrent payments while Sichuan is killed mid-way never overspend, and settle once it is back', async () => {
    const voucherId = await issueVoucher(url, tokenOf, 'chongqing', { amountFen: 20_000, maxSharePercent: 100 });
    const charges = await Promise.all(Array.from({ length: 12 }, newCharge));
    const payments = charges.map((chargeRef) => payWithVoucher(url, tokenOf, 'sichuan', voucherId, { chargeRef, chargeAmountFen: CHARGE_FEN, amountFen: 3_000 }).catch((error: unknown) => error));
    await until('some payments under way', async () => ((await sql('sichuan', 'SELECT 1 FROM voucher_redemptions WHERE voucher_id = $1', [voucherId])).length >= 3 ? true : undefined));
    await kill('sichuan');
    await Promise.all(payments);
    await system.startService('sichuan');
    await until('every payment settled', async () => {
      const [row] = await sql<{ n: number }>('sichuan', "SELECT count(*)::int AS n FROM voucher_redemptions WHERE voucher_id = $1 AND state IN ('INTENDED', 'RESERVED')", [voucherId]);
      return row!.n === 0 ? true : undefined;
    }, 30_000);
    // Holds reserved by payments whose answer Sichuan never recorded expire on Chongqing.
    await until('nothing held', async () => ((await voucherOf(url, tokenOf, voucherId)).heldFen === 0 ? true : undefined), 30_000);
    const voucher = await expectBooksAgree(voucherId, 20_000);
    expect(voucher.capturedFen).toBeLessThanOrEqual(18_000);
  }, 120_000);
});

describe("the issuer's sweeper, on its own", () => {
  it('releases a hold nobody captures once it expires, and expires what is left of a voucher after its last moment', async () => {
    const validUntil = new Date(Date.now() + 3_000);
    const voucherId = await issueVoucher(url, tokenOf, 'chongqing', { amountFen: 9_000, maxSharePercent: 100, validUntil });
    const holdKey = randomUUID();
    expect((await issuerStep('reserve', voucherId, holdKey, 2_000, 'CHG-SWEEP', 1)).status).toBe('HELD');
    // Nobody asks anything of the hold: the sweeper alone gives the amount back, then expires the balance.
    const swept = await until('the hold released and the balance expired', async () => {
      const voucher = await voucherOf(url, tokenOf, voucherId);
      return voucher.expiredFen === 9_000 ? voucher : undefined;
    }, 20_000);
    expect(swept).toMatchObject({ availableFen: 0, heldFen: 0, capturedFen: 0, expiredFen: 9_000 });
    expect(swept.holds).toEqual([{ holdKey, status: 'RELEASED', amountFen: 2_000, releaseReason: 'EXPIRED' }]);
    expect(swept.history.map((event) => [event.kind, event.amountFen, event.availableAfterFen])).toEqual([
      ['ISSUED', 9_000, 9_000], ['HELD', 2_000, 7_000], ['EXPIRED', 2_000, 9_000], ['EXPIRED', 9_000, 0],
    ]);
  }, 40_000);
});
