import { badUserInput, decodeOwnGlobalId, PROVINCES, type ProvinceDefinition } from '../../../../shared/src';
import { requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type VoucherContext } from './VoucherContext';
import type { VoucherEntity } from './VoucherEntity';
import type { VoucherHoldEntity, VoucherHoldStatus } from './VoucherHoldEntity';
import type { RedemptionState, VoucherRedemptionEntity } from './VoucherRedemptionEntity';
import type { HoldRef } from './VoucherService';
import type { VoucherSettlement } from './VoucherSettlementService';
import type { PageArgs } from './VoucherLists';

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
  vouchers: authorized.policy(PROVINCE_ADMIN, (_: unknown, page: PageArgs, { services }) => services.voucherLists.issued(page)),
  voucherHolds: authorized.policy(PROVINCE_ADMIN, (_: unknown, { status, ...page }: { status?: VoucherHoldStatus | null } & PageArgs, { services }) =>
    services.voucherLists.holds(status ?? null, page)),
  voucherHold: (_: unknown, ref: HoldRef, { services }: VoucherContext) => services.vouchers.hold(ref),
  voucherRedemptions: authorized.policy(PROVINCE_ADMIN, (_: unknown, { state, ...page }: { state?: RedemptionState | null } & PageArgs, { services }) =>
    services.voucherLists.payments(state ?? null, page)),
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

/** A deprecated `Int` figure: refused, naming the exact field, rather than a wrong number once the sum passes 2^31 fen. */
const intFigure = (pick: 'issuedFen' | 'capturedFen' | 'redeemedAcrossBorderFen', field: string, exactField: string) => {
  const exact = figure(pick);
  return async (...args: Parameters<typeof exact>) => intFen(String(await exact(...args)), field, exactField);
};

export const statsVoucherResolvers = {
  vouchersIssued: figure('issued'),
  voucherIssuedTotalFen: figure('issuedFen'),
  voucherCapturedTotalFen: figure('capturedFen'),
  voucherRedeemedAcrossBorderTotalFen: figure('redeemedAcrossBorderFen'),
  voucherFenIssued: intFigure('issuedFen', 'voucherFenIssued', 'voucherIssuedTotalFen'),
  voucherFenCaptured: intFigure('capturedFen', 'voucherFenCaptured', 'voucherCapturedTotalFen'),
  voucherFenRedeemedAcrossBorder: intFigure('redeemedAcrossBorderFen', 'voucherFenRedeemedAcrossBorder', 'voucherRedeemedAcrossBorderTotalFen'),
};

/** The deprecated `Int` sums of `VoucherSettlement`, from its exact ones. */
export const voucherSettlementResolvers = {
  owedToPartnerFen: (settlement: VoucherSettlement) => intFen(settlement.owedToPartnerTotalFen, 'owedToPartnerFen', 'owedToPartnerTotalFen'),
  claimFromPartnerFen: (settlement: VoucherSettlement) => intFen(settlement.claimFromPartnerTotalFen, 'claimFromPartnerFen', 'claimFromPartnerTotalFen'),
  netFromPartnerFen: (settlement: VoucherSettlement) => intFen(settlement.netFromPartnerTotalFen, 'netFromPartnerFen', 'netFromPartnerTotalFen'),
};

const INT_MAX = 2 ** 31 - 1;

/** A sum of fen (decimal text) for a deprecated GraphQL `Int` field, or BAD_USER_INPUT naming the exact field once it does not fit. */
function intFen(fen: string, field: string, exactField: string): number {
  const value = Number(fen);
  if (value > INT_MAX || value < -INT_MAX - 1) {
    throw badUserInput(`${field} is ${fen} fen, more than a GraphQL Int holds; ask for ${exactField} (the same sum as a decimal string) instead.`, {
      field, exactField,
    });
  }
  return value;
}
