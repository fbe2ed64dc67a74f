import { decodeOwnGlobalId, PROVINCES, type ProvinceDefinition } from '../../../../shared/src';
import { requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type VoucherContext } from './VoucherContext';
import type { VoucherEntity } from './VoucherEntity';
import type { VoucherHoldEntity, VoucherHoldStatus } from './VoucherHoldEntity';
import type { RedemptionState, VoucherRedemptionEntity } from './VoucherRedemptionEntity';
import type { HoldRef } from './VoucherService';

export const voucherResolvers = {
  id: (voucher: VoucherEntity, _: unknown, { services }: VoucherContext) => services.vouchers.globalId(voucher.id),
  holder: (voucher: VoucherEntity) => ({ __typename: 'User', id: voucher.holderUserId }),
  acceptedIn: (voucher: VoucherEntity) => voucher.acceptedIn.map((key) => PROVINCES[key].code),
  history: (voucher: VoucherEntity, _: unknown, { loaders }: VoucherContext) => loaders.voucherEvents.load(voucher.id),
  holds: (voucher: VoucherEntity, _: unknown, { loaders }: VoucherContext) => loaders.voucherHolds.load(voucher.id),
};

export const voucherHoldResolvers = {
  servingProvince: (hold: VoucherHoldEntity) => PROVINCES[hold.servingProvince].code,
};

export const voucherRedemptionResolvers = {
  issuer: (redemption: VoucherRedemptionEntity) => PROVINCES[redemption.issuer].code,
  /** The reason alone: the stored refusal also keeps the issuer's code and details, to answer a repeat the same. */
  failure: (redemption: VoucherRedemptionEntity) => (redemption.failure ? (JSON.parse(redemption.failure) as { message?: string }).message ?? null : null),
};

/** `voucherPayments` of a charge of this province: seen by whoever may see the charge. */
export const chargeVoucherResolvers = {
  voucherPayments: (charge: { id: string }, _: unknown, { loaders }: VoucherContext) => loaders.chargeVoucherPayments.load(charge.id),
};

/** Registry fields about vouchers: the issuer's (one voucher, lists, holds) and the server's (redemptions, settlement). */
export const voucherRegistryResolvers = {
  voucher: authorized.authenticated(async (_: unknown, { id }: { id: string }, context) => {
    const voucher = await context.loaders.vouchers.load(decodeOwnGlobalId(id, 'voucher', context.province).localId);
    if (voucher) requirePersonalAccess(context, voucher.holderUserId, 'this voucher');
    return voucher;
  }),
  vouchers: authorized.policy(PROVINCE_ADMIN, (_: unknown, __: unknown, { services }) => services.vouchers.latest()),
  voucherHolds: authorized.policy(PROVINCE_ADMIN, (_: unknown, { status }: { status?: VoucherHoldStatus | null }, { services }) =>
    services.vouchers.holdsByStatus(status ?? null)),
  voucherHold: (_: unknown, ref: HoldRef, { services }: VoucherContext) => services.vouchers.hold(ref),
  voucherRedemptions: authorized.policy(PROVINCE_ADMIN, (_: unknown, { state }: { state?: RedemptionState | null }, { services }) =>
    services.voucherRedemptions.list(state ?? null)),
  voucherSettlement: authorized.policy(PROVINCE_ADMIN, (_: unknown, { from, to }: { from: Date; to: Date }, { services }) =>
    services.voucherSettlement.statement(from, to)),
};

/** `User.<province>Vouchers`: the vouchers this province issued to a person, for that person and admins. */
export function userVoucherResolvers(province: ProvinceDefinition) {
  return {
    [`${province.key}Vouchers`]: authorized.authenticated((user: { id: string }, _: unknown, context) => {
      requirePersonalAccess(context, user.id, `this person's ${province.nameEn} vouchers`);
      return context.loaders.vouchersByHolder.load(user.id);
    }),
  };
}

/** The voucher figures of `<Province>Stats`, for the stats' own period: one read for all of them (a per-request loader). */
const figure = (pick: 'issued' | 'issuedFen' | 'capturedFen' | 'redeemedAcrossBorderFen') =>
  async (stats: { from: Date; to: Date }, _: unknown, { loaders, province }: VoucherContext) =>
    (await loaders.voucherFigures.load({ own: province.key, from: stats.from, to: stats.to }))[pick];

export const statsVoucherResolvers = {
  vouchersIssued: figure('issued'),
  voucherFenIssued: figure('issuedFen'),
  voucherFenCaptured: figure('capturedFen'),
  voucherFenRedeemedAcrossBorder: figure('redeemedAcrossBorderFen'),
};
