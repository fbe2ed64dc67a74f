import { badUserInput, conflict, forbidden, notFound, type ProvinceDefinition } from '../../../../shared/src';
import { decodeOwnArgument } from '../domain/registryChanges';
import type { ChargeRepository } from './ChargeRepository';
import { chargeTotals, type VoucherPartStatus } from './chargeRules';

export interface ChargeLedgerTransaction {
  readonly charges: Pick<ChargeRepository, 'lockForUpdate' | 'linesOfCharge' | 'changeVoucherParts'>;
}

/** A step of a voucher payment, as the charge records it (named by shape: vouchers/ calls this ledger). */
export interface ChargeVoucherStep {
  readonly chargeId: string | null;
  readonly chargeRef: string;
  readonly amountFen: number;
  readonly status: VoucherPartStatus;
  readonly previous: VoucherPartStatus | null;
}

/**
 * The charges' side of paying with a voucher: a payment pays a real charge of this province (a completed
 * booking's or a service request's), by its id, and moves the charge's voucher parts — what payments under way
 * hold, what vouchers paid — in the payment's own transaction, under the charge's row lock, so two payments of
 * one charge at once cannot both take what is left due.
 */
export class ChargeVoucherLedger {
  constructor(private readonly province: ProvinceDefinition) {}

  /**
   * Locks the charge and answers what is still due on it. NOT_FOUND for a charge this province did not write,
   * FORBIDDEN for anyone but its payer, BAD_USER_INPUT when `statedAmountFen` is not what the charge now comes to
   * (credits included): the payer pays the charge as it is, not as it was.
   */
  async amountDue(tx: ChargeLedgerTransaction, chargeRef: string, statedAmountFen: number, payerId: string) {
    const chargeId = decodeOwnArgument(chargeRef, 'charge', this.province, 'chargeRef');
    const charge = await tx.charges.lockForUpdate(chargeId);
    if (!charge) throw notFound(`No ${this.province.nameEn} charge has the id ${chargeRef}.`, { argument: 'chargeRef' });
    if (charge.payerId !== payerId) throw forbidden(`Only the payer of charge ${chargeRef} may pay it with a voucher.`);
    const lines = await tx.charges.linesOfCharge(chargeId);
    const { totalFen, amountDueFen } = chargeTotals(lines, charge);
    if (totalFen !== statedAmountFen) {
      throw badUserInput(`chargeAmountFen: charge ${chargeRef} comes to ${totalFen} fen, not ${statedAmountFen}.`, {
        fields: [{ path: 'chargeAmountFen', message: `must be ${totalFen}` }],
      });
    }
    return { chargeId, chargeAmountFen: totalFen, dueFen: amountDueFen };
  }

  /**
   * Moves the payment's amount from the part it was in to the part it is in now. A payment recorded before
   * charges carried their voucher parts names no charge here, and has nothing to move.
   */
  async recordVoucherPart(tx: ChargeLedgerTransaction, step: ChargeVoucherStep): Promise<void> {
    if (step.previous === 'CAPTURED' && step.status !== 'CAPTURED') {
      throw conflict(`The voucher part of charge ${step.chargeRef} was paid; a refund is a credit on the charge.`);
    }
    if (step.chargeId === null) return;
    const part = (status: VoucherPartStatus | null, sign: number) => ({
      pending: status === 'PENDING' ? sign * step.amountFen : 0,
      captured: status === 'CAPTURED' ? sign * step.amountFen : 0,
    });
    const added = part(step.status, 1);
    const removed = part(step.previous, -1);
    await tx.charges.changeVoucherParts(step.chargeId, added.pending + removed.pending, added.captured + removed.captured);
  }
}
