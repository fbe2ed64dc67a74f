import { Client } from 'pg';
import { DAY_MS, seededUserId, type ProvinceKey } from '../../shared/src';
import { chargeFor } from '../../test/support/chargeFixtures';
import { login } from './loadInputs';
import { ISSUE_SICHUAN_VOUCHER } from './operations';

/** What the voucher scenario pays with and for. */
export interface VoucherPaymentInputs {
  /** Sichuan vouchers of the researcher, each large enough for every payment of a run. */
  readonly voucherIds: readonly string[];
  /** Chongqing charges of the researcher, each paid many times over in small parts. */
  readonly chargeRefs: readonly string[];
  readonly chargeAmountFen: number;
  readonly paymentFen: number;
}

/** The researcher who pays: a Sichuan person, paying charges in Chongqing with Sichuan vouchers. */
export const VOUCHER_PAYER = 'li.wei';
/** Several vouchers, so that payments wait on one voucher's row lock only as often as one holder's would. */
const VOUCHERS = 10;
const CHARGE_FEN = 100_000;
const PAYMENT_FEN = 10;

/**
 * Issues the vouchers through the gateway as Sichuan's admin, and writes the charges into Chongqing's database
 * as a report writes them (the API writes a charge only at the end of a request's or a booking's workflow).
 * A charge takes CHARGE_FEN / PAYMENT_FEN payments, so `charges` of them last for `charges` × 10,000 payments.
 */
export async function prepareVoucherPayments(gatewayUrl: string, databaseUrls: Readonly<Record<ProvinceKey, string>>, charges: number): Promise<VoucherPaymentInputs> {
  const admin = await login(gatewayUrl, 'sc.admin');
  const voucherIds: string[] = [];
  for (let n = 0; n < VOUCHERS; n += 1) {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        query: ISSUE_SICHUAN_VOUCHER,
        variables: {
          input: {
            holderUserId: seededUserId(VOUCHER_PAYER), holderName: 'Li Wei (benchmark)', amountFen: 1_000_000_000,
            validFrom: new Date(Date.now() - DAY_MS).toISOString(), validUntil: new Date(Date.now() + 30 * DAY_MS).toISOString(),
            acceptedIn: ['SICHUAN', 'CHONGQING'], maxSharePercent: 100,
          },
        },
      }),
    });
    const body = (await response.json()) as { data?: { issueSichuanVoucher?: { id: string } }; errors?: unknown };
    if (!body.data?.issueSichuanVoucher) throw new Error(`issuing a benchmark voucher failed: ${JSON.stringify(body.errors)}`);
    voucherIds.push(body.data.issueSichuanVoucher.id);
  }
  const client = new Client({ connectionString: databaseUrls.chongqing, application_name: 'shuangcheng-bench' });
  await client.connect();
  try {
    const sql = async (_owner: ProvinceKey, text: string, params: unknown[] = []) => (await client.query(text, params)).rows;
    const chargeRefs: string[] = [];
    for (let n = 0; n < charges; n += 1) chargeRefs.push(await chargeFor(sql, 'chongqing', CHARGE_FEN, VOUCHER_PAYER));
    return { voucherIds, chargeRefs, chargeAmountFen: CHARGE_FEN, paymentFen: PAYMENT_FEN };
  } finally {
    await client.end();
  }
}
