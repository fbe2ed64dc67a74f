import { randomUUID } from 'node:crypto';
import { PROVINCES, seededUserId, type ProvinceKey } from '../../shared/src';
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
