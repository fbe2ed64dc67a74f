import DataLoader from 'dataloader';
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
    /** A charge's voucher payments, by the charge's local id. */
    chargeVoucherPayments: new DataLoader<string, VoucherRedemptionEntity[]>((chargeIds) => redemptions.byChargeIds(chargeIds)),
  };
}

export type VoucherLoaders = ReturnType<typeof createVoucherLoaders>;
