import type { CustomerCategory } from '../../../../shared/src';
import type { OfferingKind, PriceSnapshot } from '../offerings/pricing';

export type ChargeSource = 'BOOKING' | 'SERVICE_REQUEST';
export type ChargeLineKind = 'ITEM' | 'CREDIT';

/** A line as it is written. */
export interface ChargeLineDraft {
  readonly kind: ChargeLineKind;
  readonly description: string;
  readonly quantity: string;
  readonly unitFen: number | null;
  readonly amountFen: number;
  readonly reason: string | null;
}

/** A charge as the booking or service-request workflow hands it over, to be written in that workflow's transaction. */
export interface ChargeDraft {
  readonly payerId: string;
  readonly payerName: string;
  readonly category: CustomerCategory;
  readonly source: ChargeSource;
  readonly bookingId: string | null;
  readonly serviceRequestId: string | null;
  readonly offeringKind: OfferingKind;
  readonly lines: readonly ChargeLineDraft[];
}

const UNIT_NAMES: Record<string, string> = { HOUR: 'h', SAMPLE: 'samples', PROJECT: 'project' };

/** The item lines of a price snapshot: one per band, e.g. "Self-operated use, EVENING band (h)". */
export function snapshotLines(what: string, snapshot: PriceSnapshot, unit: 'HOUR' | 'SAMPLE' | 'PROJECT'): ChargeLineDraft[] {
  return snapshot.lines.map((line) => ({
    kind: 'ITEM',
    description: `${what}, ${line.band} price (${UNIT_NAMES[unit]})`,
    quantity: line.quantity,
    unitFen: line.unitFen,
    amountFen: line.amountFen,
    reason: null,
  }));
}

/**
 * The lines of a service request's charge: the list price it recorded, then the difference to the accepted
 * quote (an item when the quote is higher, a credit when lower), so the charge comes to the quote exactly while
 * showing the list price it departs from. A request without a list price is charged its quote as one item.
 */
export function serviceRequestLines(what: string, snapshot: PriceSnapshot | null, unit: 'HOUR' | 'SAMPLE' | 'PROJECT', quoteFen: number): ChargeLineDraft[] {
  if (!snapshot) return [{ kind: 'ITEM', description: `${what}, as quoted`, quantity: '1', unitFen: quoteFen, amountFen: quoteFen, reason: null }];
  const lines = snapshotLines(what, snapshot, unit);
  const difference = quoteFen - snapshot.totalFen;
  if (difference > 0) lines.push({ kind: 'ITEM', description: 'Quoted above the list price', quantity: '1', unitFen: difference, amountFen: difference, reason: null });
  if (difference < 0) lines.push({ kind: 'CREDIT', description: 'Quoted below the list price', quantity: '1', unitFen: null, amountFen: difference, reason: 'The accepted quote is below the list price' });
  return lines;
}

/**
 * What a charge comes to: its lines' sum; what vouchers paid of it and what voucher payments under way hold for it;
 * and what the payer still owes (never below zero: a credit after a voucher paid leaves nothing due, not a debt
 * of the province).
 */
export function chargeTotals(lines: readonly { amountFen: number }[], voucher: { voucherPendingFen: number; voucherCapturedFen: number }) {
  const totalFen = lines.reduce((sum, line) => sum + line.amountFen, 0);
  const voucherFen = voucher.voucherPendingFen + voucher.voucherCapturedFen;
  return {
    totalFen, voucherFen, voucherPaidFen: voucher.voucherCapturedFen, voucherPendingFen: voucher.voucherPendingFen, amountDueFen: Math.max(0, totalFen - voucherFen),
  };
}

/** The largest single credit, in fen (1,000,000 yuan). */
export const MAX_CREDIT_FEN = 100_000_000;
