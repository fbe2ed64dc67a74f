import { badUserInput, conflict } from '../../../../shared/src';
import type { VoucherRedemptionRepository } from './VoucherRedemptionRepository';

/** What the voucher part of a charge is at: held on the issuer, paid, or undone. */
export type VoucherPartStatus = 'PENDING' | 'CAPTURED' | 'RELEASED';

export interface VoucherPart {
  readonly chargeRef: string;
  /** The serving side's redemption id, which is also the issuer's hold key. */
  readonly redemptionId: string;
  readonly voucherId: string;
  readonly amountFen: number;
  readonly status: VoucherPartStatus;
  /** The status it moves from (none when the part is new). */
  readonly previous: VoucherPartStatus | null;
}

/**
 * What a voucher redemption needs of the serving province's charges: what is
 * still due on a charge, and recording the voucher part on it. Both run in the
 * redemption's own transaction (`tx`), so the redemption row and the charge's
 * part commit together.
 *
 * The charges feature implements it over its charge table (its charge carries a
 * voucher part: voucher id, hold id, amount, PENDING/CAPTURED/RELEASED) and
 * passes it to `VoucherRedemptionService` in `createProvinceSubgraph`; until then
 * `RedemptionChargeLedger` keeps the parts in `voucher_charges`.
 */
export interface ChargeLedger<TTransaction> {
  /**
   * The charge's amount and what is still due after the voucher parts held or paid, checked against the amount the
   * caller states (`statedAmountFen`): BAD_USER_INPUT when they differ, NOT_FOUND for a charge the ledger does not know.
   */
  amountDue(tx: TTransaction, chargeRef: string, statedAmountFen: number): Promise<{ chargeAmountFen: number; dueFen: number }>;
  recordVoucherPart(tx: TTransaction, part: VoucherPart): Promise<void>;
}

/** The minimal ledger's transaction: the redemption repository, which keeps its table. */
export interface RedemptionLedgerTransaction {
  readonly redemptions: VoucherRedemptionRepository;
}

/**
 * The ledger until charges exist: a charge is known by its reference and opened
 * with the amount its first voucher payment states; later payments must state
 * the same amount. It keeps what vouchers hold and have paid of each charge.
 */
export class RedemptionChargeLedger implements ChargeLedger<RedemptionLedgerTransaction> {
  async amountDue(tx: RedemptionLedgerTransaction, chargeRef: string, statedAmountFen: number) {
    await tx.redemptions.openCharge(chargeRef, statedAmountFen);
    const charge = (await tx.redemptions.lockCharge(chargeRef))!;
    if (charge.amountFen !== statedAmountFen) {
      throw badUserInput(`chargeAmountFen: charge ${chargeRef} is ${charge.amountFen} fen, not ${statedAmountFen}.`, {
        fields: [{ path: 'chargeAmountFen', message: `must be ${charge.amountFen}` }],
      });
    }
    return { chargeAmountFen: charge.amountFen, dueFen: charge.amountFen - charge.voucherPendingFen - charge.voucherCapturedFen };
  }

  async recordVoucherPart(tx: RedemptionLedgerTransaction, part: VoucherPart): Promise<void> {
    const delta = (status: VoucherPartStatus | null, sign: number) => ({
      pending: status === 'PENDING' ? sign * part.amountFen : 0,
      captured: status === 'CAPTURED' ? sign * part.amountFen : 0,
    });
    const added = delta(part.status, 1);
    const removed = delta(part.previous, -1);
    if (part.previous === 'CAPTURED' && part.status !== 'CAPTURED') {
      throw conflict(`The voucher part of charge ${part.chargeRef} was paid; a refund is a credit on the charge.`);
    }
    await tx.redemptions.changeChargeParts(part.chargeRef, added.pending + removed.pending, added.captured + removed.captured);
  }
}
