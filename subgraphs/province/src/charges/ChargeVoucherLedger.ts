import { badUserInput, forbidden, notFound, type ProvinceDefinition } from '../../../../shared/src';
import { decodeOwnArgument } from '../domain/registryChanges';
import type { ChargeRepository } from './ChargeRepository';
import { chargeTotals } from './chargeRules';

export interface ChargeLedgerTransaction {
  readonly charges: Pick<ChargeRepository, 'lockForUpdate' | 'linesOfCharge'>;
}

/**
 * The charges' side of paying with a voucher: a payment pays a real charge of this province (a completed
 * booking's or a service request's), by its id, decided under the charge's row lock in the payment's own
 * transaction, so two payments of one charge at once cannot both take what is left due. The charge's voucher parts
 * — what payments under way hold, what vouchers paid — follow the payments in the database (migration
 * ChargeVoucherPartsFollowPayments), in the statement that writes each step.
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
}
