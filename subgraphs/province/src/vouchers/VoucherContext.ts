import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { RedemptionTransaction, VoucherRedemptionService } from './VoucherRedemptionService';
import type { VoucherLists } from './VoucherLists';
import type { VoucherLoaders } from './voucherLoaders';
import type { VoucherService } from './VoucherService';
import type { VoucherSettlementService } from './VoucherSettlementService';

/** What the voucher resolvers read from a request. */
export interface VoucherContext extends ProvinceRequest {
  readonly services: {
    readonly vouchers: VoucherService;
    readonly voucherRedemptions: VoucherRedemptionService<RedemptionTransaction>;
    readonly voucherSettlement: VoucherSettlementService;
    readonly voucherLists: VoucherLists;
  };
  readonly loaders: VoucherLoaders;
}

/** Resolvers of voucher fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<VoucherContext>();
