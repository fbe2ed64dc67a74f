import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type VoucherContext } from './VoucherContext';
import type { PayWithVoucherArgs } from './VoucherRedemptionService';
import type { HoldRef, IssueVoucherInput, ReserveArgs } from './VoucherService';

/** The issuer's voucher mutations and the serving side's payment, named for the province. */
export function voucherMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`issue${P}Voucher`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: { input: IssueVoucherInput }, { viewer, services }) =>
      services.vouchers.issue(viewer, input)),
    // The holder's consent; the service checks that the caller holds the voucher.
    [`reserve${P}Voucher`]: authorized.authenticated((_: unknown, args: ReserveArgs, { viewer, services }) => services.vouchers.reserve(viewer, args)),
    // No directive: the hold key, known only to the serving side and the issuer, is the credential, so a restarted serving process can finish a payment.
    [`capture${P}VoucherHold`]: (_: unknown, ref: HoldRef, { services }: VoucherContext) => services.vouchers.capture(ref),
    [`release${P}VoucherHold`]: (_: unknown, ref: HoldRef, { services }: VoucherContext) => services.vouchers.release(ref),
    [`pay${P}ChargeWithVoucher`]: authorized.authenticated((_: unknown, args: PayWithVoucherArgs, { viewer, services, authorization }) =>
      services.voucherRedemptions.pay(viewer, args, authorization)),
  };
}
