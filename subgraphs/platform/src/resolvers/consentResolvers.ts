import { authorizedResolvers, type GraphQLResolverMap } from '../../../../shared/src';
import type { ClientConsentEntity } from '../entities/ClientConsentEntity';
import type { UserEntity } from '../entities/UserEntity';
import type { PlatformContext } from '../PlatformContext';
import type { ClientApprovalRequest } from '../services/ConsentService';

const authorized = authorizedResolvers<PlatformContext>();

interface ExchangeArgs { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier: string }

/** Partner clients acting for people: approval, the code exchange, consents listed and revoked. */
export const consentQueries = {
  clientConsents: authorized.policy('platform_admin', (_, args: { userId?: string | null; clientId?: string | null; activeOnly?: boolean | null }, { services }) =>
    services.consents.list({
      ...(args.userId ? { userId: args.userId } : {}),
      ...(args.clientId ? { clientId: args.clientId } : {}),
      activeOnly: args.activeOnly ?? false,
    })),
  // Gateway-only (gatewayOnlyFieldsPlugin): the province subgraphs ask it with the gateway secret, beside the standings.
  revokedClientConsents: (_: unknown, __: unknown, { services }: PlatformContext) => services.consents.revokedRecently(),
};

export const consentMutations = {
  approvePartnerClient: authorized.authenticated((_, { input }: { input: ClientApprovalRequest }, { services, viewer }) => services.consents.approve(viewer, input)),
  exchangeAuthorizationCode: async (_: unknown, args: ExchangeArgs, { services, clientAddress }: PlatformContext) => {
    const { token, expiresAt, scopes, consent } = await services.auth.exchangeAuthorizationCode(args, clientAddress);
    return { token, tokenType: 'Bearer', expiresAt, scopes, consentId: consent.id };
  },
  revokeConsent: authorized.authenticated(async (_, { clientId }: { clientId: string }, { services, viewer, clientStandings }) => {
    const consent = await services.consents.revoke(viewer, clientId);
    // This service refuses the consent's tokens at once; the provinces learn it at their next fetch.
    clientStandings.invalidate();
    return consent;
  }),
};

export const consentTypeResolvers: GraphQLResolverMap<PlatformContext> = {
  ClientConsent: {
    organisation: async (consent: ClientConsentEntity, _: unknown, { loaders }: PlatformContext) => (await loaders.partnerClients.load(consent.clientId))?.name ?? null,
    user: (consent: ClientConsentEntity, _: unknown, { loaders }: PlatformContext) => loaders.users.load(consent.userId),
  },
};

/** `User.consents`: the person's own, signed in themselves, or a platform admin's look. */
export const userConsents = authorized.authenticated((user: UserEntity, _: unknown, { services, viewer }) => services.consents.listOwn(viewer, user.id));
