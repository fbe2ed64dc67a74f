import { badUserInput, DAY_MS, type ProvinceDefinition } from '../../../../shared/src';
import type { VoucherRedemptionRepository } from './VoucherRedemptionRepository';
import type { VoucherRepository } from './VoucherRepository';

export interface SettlementLine {
  readonly holdKey: string;
  readonly voucherId: string;
  readonly chargeRef: string;
  readonly issuer: string;
  readonly servingProvince: string;
  readonly amountFen: number;
  readonly capturedAt: Date;
}

export interface VoucherSettlement {
  readonly from: Date;
  readonly to: Date;
  /** Sums in fen as decimal strings, added as BigInt: a period's sum may pass a GraphQL Int. */
  readonly owedToPartnerTotalFen: string;
  readonly owedToPartner: SettlementLine[];
  readonly claimFromPartnerTotalFen: string;
  readonly claimFromPartner: SettlementLine[];
  readonly netFromPartnerTotalFen: string;
}

/** Longest settlement period asked at once. */
export const MAX_SETTLEMENT_DAYS = 366;

const total = (lines: readonly SettlementLine[]) => lines.reduce((sum, line) => sum + BigInt(line.amountFen), 0n);

/**
 * A province's side of the voucher settlement with its partner, each half from
 * its own rows only: as issuer, the holds it captured for the partner's
 * charges; as server, the redemptions of the partner's vouchers it recorded
 * captured. Both date a payment by the issuer's capture time (the server keeps
 * it from the capture answer), so the two provinces' reports of one period list
 * the same payments and agree to the fen.
 */
export class VoucherSettlementService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly vouchers: VoucherRepository,
    private readonly redemptions: VoucherRedemptionRepository,
  ) {}

  async statement(from: Date, to: Date): Promise<VoucherSettlement> {
    if (to <= from) throw badUserInput('to: must be after from.', { argument: 'to' });
    if (to.getTime() - from.getTime() > MAX_SETTLEMENT_DAYS * DAY_MS) {
      throw badUserInput(`The period may span at most ${MAX_SETTLEMENT_DAYS} days; ask in several requests.`, { argument: 'to' });
    }
    const issued = await this.vouchers.capturedElsewhere(this.province.key, from, to);
    const served = await this.redemptions.capturedFromIssuer(this.partner.key, from, to);
    const owedToPartner = issued
      .filter((hold) => hold.servingProvince === this.partner.key)
      .map((hold) => ({
        holdKey: hold.holdKey, voucherId: `${this.province.idPrefix}:voucher:${hold.voucherId}`, chargeRef: hold.chargeRef,
        issuer: this.province.code, servingProvince: this.partner.code, amountFen: hold.amountFen, capturedAt: hold.capturedAt,
      }));
    const claimFromPartner = served.map((redemption) => ({
      holdKey: redemption.id, voucherId: redemption.voucherId, chargeRef: redemption.chargeRef,
      issuer: this.partner.code, servingProvince: this.province.code, amountFen: redemption.amountFen, capturedAt: redemption.issuerCapturedAt!,
    }));
    const owed = total(owedToPartner);
    const claim = total(claimFromPartner);
    return {
      from, to, owedToPartner, claimFromPartner,
      owedToPartnerTotalFen: owed.toString(), claimFromPartnerTotalFen: claim.toString(), netFromPartnerTotalFen: (claim - owed).toString(),
    };
  }
}
