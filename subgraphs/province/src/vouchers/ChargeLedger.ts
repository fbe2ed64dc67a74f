/**
 * What a voucher redemption needs of the serving province's charges: what is still due on a charge, locking it, in
 * the redemption's own transaction (`tx`), so the redemption row is written under the charge's lock. The charge's
 * voucher parts follow the redemption rows in the database (migration ChargeVoucherPartsFollowPayments). The charges
 * feature implements it (`charges/ChargeVoucherLedger`), and `createProvinceSubgraph` hands it to
 * `VoucherRedemptionService`.
 */
export interface ChargeLedger<TTransaction> {
  /**
   * Locks the charge `chargeRef` (a charge id of this province) and answers its amount and what is still due after
   * the voucher parts held or paid, checked against the amount the caller states (`statedAmountFen`) and its
   * payer: BAD_USER_INPUT when the amounts differ, NOT_FOUND for an unknown charge, FORBIDDEN for another payer.
   */
  amountDue(tx: TTransaction, chargeRef: string, statedAmountFen: number, payerId: string): Promise<{ chargeId: string; chargeAmountFen: number; dueFen: number }>;
}
