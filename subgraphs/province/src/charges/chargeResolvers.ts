import { decodeOwnGlobalId, encodeGlobalId } from '../../../../shared/src';
import { requirePersonalAccess } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized, type ChargeContext } from './ChargeContext';
import type { ChargeView, Statement } from './ChargeService';

/** Fields of `<Province>Charge` that are not a plain field of the same name. */
export const chargeResolvers = {
  id: (charge: ChargeView, _: unknown, { province }: ChargeContext) => encodeGlobalId(province, 'charge', charge.id),
  payer: (charge: ChargeView) => ({ __typename: 'User', id: charge.payerId }),
  bookingId: (charge: ChargeView, _: unknown, { province }: ChargeContext) => (charge.bookingId ? encodeGlobalId(province, 'booking', charge.bookingId) : null),
  serviceRequestId: (charge: ChargeView, _: unknown, { province }: ChargeContext) =>
    charge.serviceRequestId ? encodeGlobalId(province, 'servicerequest', charge.serviceRequestId) : null,
};

export const statementResolvers = {
  payer: (statement: Statement) => ({ __typename: 'User', id: statement.payerId }),
};

/** `charge` on a booking or a service request: the payer's and staff's to see, like the record it belongs to. */
export const bookingChargeResolvers = {
  charge: (booking: { id: string }, _: unknown, { loaders }: ChargeContext) => loaders.bookingCharges.load(booking.id),
};
export const serviceRequestChargeResolvers = {
  charge: (request: { id: string }, _: unknown, { loaders }: ChargeContext) => loaders.serviceRequestCharges.load(request.id),
};

/** Registry fields about charges. */
export const chargeRegistryResolvers = {
  charge: authorized.authenticated(async (_: unknown, { id }: { id: string }, context) => {
    const charge = await context.loaders.charges.load(decodeOwnGlobalId(id, 'charge', context.province).localId);
    if (charge) requirePersonalAccess(context, charge.payerId, 'this charge');
    return charge;
  }),
  statement: authorized.authenticated((_: unknown, args: { payerId?: string | null; from: Date; to: Date }, { viewer, services }) =>
    services.charges.statement(viewer, args.payerId, args.from, args.to)),
  chargesCsv: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { from: Date; to: Date }, { services }) => services.charges.csv(args.from, args.to)),
};

export function chargeMutations(province: { typePrefix: string }) {
  return {
    [`credit${province.typePrefix}Charge`]: authorized.policy(
      PROVINCE_ADMIN,
      (_: unknown, args: { chargeId: string; amountFen: unknown; reason: unknown }, { viewer, services }) =>
        services.charges.credit(viewer, args.chargeId, args.amountFen, args.reason),
    ),
  };
}
