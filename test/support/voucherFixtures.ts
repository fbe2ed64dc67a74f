import { randomUUID } from 'node:crypto';
import { encodeGlobalId, PROVINCES, seededUserId, type ProvinceKey } from '../../shared/src';
import { graphql, type GraphQLResponse } from './system';

/**
 * Vouchers for tests, through the API: issued by the province's own admin,
 * paid with by their holder in a serving province. Every helper takes the
 * gateway's URL and a token getter, so both the shared and a private system use them.
 */
export type TokenOf = (username: string) => Promise<string>;

const ADMIN: Readonly<Record<ProvinceKey, string>> = { sichuan: 'sc.admin', chongqing: 'cq.admin' };
const DAY = 86_400_000;

export interface VoucherTerms {
  holder?: string;
  amountFen?: number;
  acceptedIn?: string[];
  maxSharePercent?: number;
  validFrom?: Date;
  validUntil?: Date;
}

export async function issueVoucher(url: string, tokenOf: TokenOf, issuer: ProvinceKey, terms: VoucherTerms = {}): Promise<string> {
  const holder = terms.holder ?? 'chen.jing';
  const P = PROVINCES[issuer].typePrefix;
  const { body } = await graphql(url, `mutation Issue($input: IssueVoucherInput!) { voucher: issue${P}Voucher(input: $input) { id } }`, {
    token: await tokenOf(ADMIN[issuer]),
    variables: {
      input: {
        holderUserId: seededUserId(holder),
        holderName: `${holder} (test enterprise)`,
        amountFen: terms.amountFen ?? 100_000,
        validFrom: (terms.validFrom ?? new Date(Date.now() - DAY)).toISOString(),
        validUntil: (terms.validUntil ?? new Date(Date.now() + 30 * DAY)).toISOString(),
        acceptedIn: terms.acceptedIn ?? ['SICHUAN', 'CHONGQING'],
        maxSharePercent: terms.maxSharePercent ?? 50,
      },
    },
  });
  if (!body.data?.voucher) throw new Error(`issuing a voucher failed: ${JSON.stringify(body.errors)}`);
  return body.data.voucher.id as string;
}

/** A SQL runner on one owner's database: the shared system's or a private one's. */
export type Sql = (owner: ProvinceKey, text: string, params?: unknown[]) => Promise<Record<string, any>[]>;

/**
 * A charge of `province` for `payer` of `amountFen`, as a service request's report writes it: the request (on one of
 * the province's seeded offerings, REPORT_ISSUED at its quote) and its charge with one item line, written straight
 * into the province's database so a test can have as many charges as it pays. Answers the charge's global id, the
 * `chargeRef` a voucher payment names.
 */
export async function chargeFor(sql: Sql, province: ProvinceKey, amountFen: number, payer = 'chen.jing'): Promise<string> {
  const requestId = randomUUID();
  const chargeId = randomUUID();
  const payerId = seededUserId(payer);
  await sql(province, `
    WITH offering AS (SELECT id, kind FROM offerings WHERE kind <> 'SELF_OPERATED' ORDER BY id LIMIT 1),
    request AS (
      INSERT INTO service_requests (id, offering_id, requester_id, requester_name, status, form_values, sample_count, needed_by, description,
        idempotency_key, price_category, price_unit, quote_amount_fen, quote_valid_until)
      SELECT $1, offering.id, $3, $4, 'REPORT_ISSUED', '{}', 1, now() + interval '30 days', 'A test request charged at its quote',
        $6, 'ENTERPRISE', 'PROJECT', $5, now() + interval '30 days' FROM offering
      RETURNING id),
    charge AS (
      INSERT INTO charges (id, payer_id, payer_name, customer_category, source, service_request_id, offering_kind)
      SELECT $2, $3, $4, 'ENTERPRISE', 'SERVICE_REQUEST', request.id, offering.kind FROM request, offering
      RETURNING id)
    INSERT INTO charge_lines (charge_id, kind, description, quantity, unit_fen, amount_fen, actor_id)
    SELECT charge.id, 'ITEM', 'As quoted', 1, $5, $5, 'test' FROM charge`, [requestId, chargeId, payerId, `${payer} (test enterprise)`, amountFen, `test-${requestId}`]);
  return encodeGlobalId(PROVINCES[province], 'charge', chargeId);
}

export interface Payment {
  /** The charge's global id. */
  chargeRef: string;
  chargeAmountFen?: number;
  amountFen: number;
  idempotencyKey?: string;
  holder?: string;
}

export const REDEMPTION_FIELDS = 'id chargeRef voucherId issuer amountFen chargeAmountFen state failure issuerCapturedAt';

/** `pay<Serving>ChargeWithVoucher` as the holder. */
export async function payWithVoucher(url: string, tokenOf: TokenOf, serving: ProvinceKey, voucherId: string, payment: Payment): Promise<GraphQLResponse> {
  const P = PROVINCES[serving].typePrefix;
  return graphql(url, `mutation Pay($chargeRef: String!, $chargeAmountFen: Int!, $voucherId: ID!, $amountFen: Int!, $idempotencyKey: String!) {
      redemption: pay${P}ChargeWithVoucher(chargeRef: $chargeRef, chargeAmountFen: $chargeAmountFen, voucherId: $voucherId, amountFen: $amountFen,
        idempotencyKey: $idempotencyKey) { ${REDEMPTION_FIELDS} }
    }`, {
    token: await tokenOf(payment.holder ?? 'chen.jing'),
    variables: {
      chargeRef: payment.chargeRef,
      chargeAmountFen: payment.chargeAmountFen ?? payment.amountFen * 2,
      voucherId,
      amountFen: payment.amountFen,
      idempotencyKey: payment.idempotencyKey ?? randomUUID(),
    },
  });
}

export const VOUCHER_FIELDS = 'id issuedFen availableFen heldFen capturedFen expiredFen history { kind amountFen availableAfterFen }';

/** A voucher as its issuer's admin reads it. */
export async function voucherOf(url: string, tokenOf: TokenOf, voucherId: string) {
  const issuer = voucherId.startsWith('cq:') ? 'chongqing' : 'sichuan';
  const { body } = await graphql(url, `query V($id: ID!) { ${issuer} { voucher(id: $id) { ${VOUCHER_FIELDS} holds { holdKey status amountFen releaseReason } } } }`, {
    token: await tokenOf(ADMIN[issuer]), variables: { id: voucherId },
  });
  if (!body.data?.[issuer]?.voucher) throw new Error(`reading voucher ${voucherId} failed: ${JSON.stringify(body.errors)}`);
  return body.data[issuer].voucher as {
    issuedFen: number; availableFen: number; heldFen: number; capturedFen: number; expiredFen: number;
    history: { kind: string; amountFen: number; availableAfterFen: number }[];
    holds: { holdKey: string; status: string; amountFen: number; releaseReason: string | null }[];
  };
}
