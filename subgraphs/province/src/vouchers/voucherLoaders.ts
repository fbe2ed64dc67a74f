import DataLoader from 'dataloader';
import type { VoucherEntity } from './VoucherEntity';
import type { VoucherEventEntity } from './VoucherEventEntity';
import type { VoucherHoldEntity } from './VoucherHoldEntity';
import type { VoucherRepository } from './VoucherRepository';

/** Per-request batching of voucher reads. */
export function createVoucherLoaders(vouchers: VoucherRepository) {
  return {
    vouchers: new DataLoader<string, VoucherEntity | null>((ids) => vouchers.findByIds(ids)),
    vouchersByHolder: new DataLoader<string, VoucherEntity[]>((userIds) => vouchers.findByHolderIds(userIds)),
    voucherEvents: new DataLoader<string, VoucherEventEntity[]>((ids) => vouchers.eventsOf(ids)),
    voucherHolds: new DataLoader<string, VoucherHoldEntity[]>((ids) => vouchers.holdsOf(ids)),
  };
}

export type VoucherLoaders = ReturnType<typeof createVoucherLoaders>;
