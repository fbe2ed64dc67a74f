/** What the voucher part of a charge is at: held on the issuer, paid, or undone. */
export type VoucherPartStatus = 'PENDING' | 'CAPTURED' | 'RELEASED';

export interface VoucherPart {
  /** The charge's local id; null for a payment recorded before charges carried their voucher parts. */
  readonly chargeId: string | null;
  readonly chargeRef: string;
  readonly amountFen: number;
  readonly status: VoucherPartStatus;
  /** The status it moves from (none when the part is new). */
  readonly previous: VoucherPartStatus | null;
}

/**
 * What a voucher redemption needs of the serving province's charges: what is still due on a charge (locking
 * it), and recording the voucher part on it. Both run in the redemption's own transaction (`tx`), so the
 * redemption row and the charge's part commit together. The charges feature implements it
 * (`charges/ChargeVoucherLedger`), and `createProvinceSubgraph` hands it to `VoucherRedemptionService`.
 */
export interface ChargeLedger<TTransaction> {
  /**
   * Locks the charge `chargeRef` (a charge id of this province) and answers its amount and what is still due after
   * the voucher parts held or paid, checked against the amount the caller states (`statedAmountFen`) and its
   * payer: BAD_USER_INPUT when the amounts differ, NOT_FOUND for an unknown charge, FORBIDDEN for another payer.
   */
  amountDue(tx: TTransaction, chargeRef: string, statedAmountFen: number, payerId: string): Promise<{ chargeId: string; chargeAmountFen: number; dueFen: number }>;
  recordVoucherPart(tx: TTransaction, part: VoucherPart): Promise<void>;
}
