import { clientIdOf, forbidden, isProvinceAdmin, type ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './ClientGrantContext';

/** `<Province>Registry.clientGrants`: every grant of this province, for its admins. */
export const clientGrantRegistryResolvers = {
  clientGrants: authorized.policy(PROVINCE_ADMIN, (_: unknown, __: unknown, { services }) => services.clientGrants.list()),
};

/** The grant mutations, named for the province; `@policy` admits admins of this province only. */
export function clientGrantMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`grant${P}ClientScopes`]: authorized.policy(
      PROVINCE_ADMIN,
      (_: unknown, args: { clientId: string; scopes: string[]; recognitionItems?: string[] | null }, { viewer, services }) =>
        services.clientGrants.grant(viewer, args.clientId, args.scopes, args.recognitionItems),
    ),
    [`revoke${P}ClientGrant`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { clientId: string }, { viewer, services }) =>
      services.clientGrants.revoke(viewer, args.clientId)),
  };
}

/**
 * `PartnerClient.<province>Grant`: this province's part of the platform's client, so the platform shows a
 * client's grants by asking each province. Platform admins, this province's admins and the client itself.
 */
export function partnerClientResolvers(province: ProvinceDefinition) {
  return {
    __resolveReference: (reference: { clientId: string }) => ({ clientId: reference.clientId }),
    [`${province.key}Grant`]: authorized.authenticated((client: { clientId: string }, _: unknown, { viewer, services }) => {
      const allowed = viewer.roles.includes('platform_admin') || isProvinceAdmin(viewer, province.key) || clientIdOf(viewer) === client.clientId;
      if (!allowed) throw forbidden(`Only platform admins, ${province.nameEn} admins and the client itself may see what ${province.nameEn} grants a client.`);
      return services.clientGrants.find(client.clientId);
    }),
  };
}
