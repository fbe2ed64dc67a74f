import DataLoader from 'dataloader';
import type { ProvinceKey } from '../../../../shared/src';
import type { VoucherEntity } from './VoucherEntity';
import type { VoucherEventEntity } from './VoucherEventEntity';
import type { VoucherHoldEntity } from './VoucherHoldEntity';
import type { VoucherRedemptionEntity } from './VoucherRedemptionEntity';
import type { VoucherRedemptionRepository } from './VoucherRedemptionRepository';
import type { VoucherRepository } from './VoucherRepository';

/** Per-request batching of voucher reads. */
export function createVoucherLoaders(vouchers: VoucherRepository, redemptions: VoucherRedemptionRepository) {
  return {
    vouchers: new DataLoader<string, VoucherEntity | null>((ids) => vouchers.findByIds(ids)),
    vouchersByHolder: new DataLoader<string, VoucherEntity[]>((userIds) => vouchers.findByHolderIds(userIds)),
    voucherEvents: new DataLoader<string, VoucherEventEntity[]>((ids) => vouchers.eventsOf(ids)),
    voucherHolds: new DataLoader<string, VoucherHoldEntity[]>((ids) => vouchers.holdsOf(ids)),
    /** The stats' voucher figures of a period, read once however many of them a request selects. */
    voucherFigures: new DataLoader<{ own: ProvinceKey; from: Date; to: Date }, Awaited<ReturnType<VoucherRepository['figures']>>, string>(
      (periods) => Promise.all(periods.map((period) => vouchers.figures(period.own, period.from, period.to))),
      { cacheKeyFn: (period) => `${period.own}|${period.from.toISOString()}|${period.to.toISOString()}` },
    ),
    /** A charge's voucher payments, by the charge's local id. */
    chargeVoucherPayments: new DataLoader<string, VoucherRedemptionEntity[]>((chargeIds) => redemptions.byChargeIds(chargeIds)),
  };
}

export type VoucherLoaders = ReturnType<typeof createVoucherLoaders>;
