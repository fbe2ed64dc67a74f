import { authorizedResolvers, type GraphQLResolverMap } from '../../../../shared/src';
import type { PartnerClientEntity } from '../entities/PartnerClientEntity';
import type { PlatformContext } from '../PlatformContext';
import { DEFAULT_ROTATION_OVERLAP_SECONDS, statusOf, type PartnerClientRegistration } from '../services/PartnerClientService';

const authorized = authorizedResolvers<PlatformContext>();

type ClientArgs = { clientId: string };

/** Partner clients run by API: registration, rotation, suspension; and their standings for the services. */
export const partnerClientQueries = {
  partnerClients: authorized.policy('platform_admin', (_, __, { services }) => services.partnerClients.list()),
  partnerClient: authorized.authenticated((_, { clientId }: ClientArgs, { services, viewer }) => services.partnerClients.find(viewer, clientId)),
  // Gateway-only (gatewayOnlyFieldsPlugin): the province subgraphs ask it with the gateway secret.
  partnerClientStandings: (_: unknown, __: unknown, { services }: PlatformContext) => services.partnerClients.standings(),
};

export const partnerClientMutations = {
  registerPartnerClient: authorized.policy('platform_admin', async (_, { input }: { input: PartnerClientRegistration }, { services }) => {
    const { client, secret } = await services.partnerClients.registerNew(input);
    return { client, clientSecret: secret };
  }),
  rotatePartnerClientSecret: authorized.authenticated(
    async (_, { clientId, previousSecretValidForSeconds }: ClientArgs & { previousSecretValidForSeconds?: number | null }, { services, viewer }) => {
      const { client, secret } = await services.partnerClients.rotateSecret(viewer, clientId, previousSecretValidForSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS);
      return { client, clientSecret: secret };
    },
  ),
  suspendPartnerClient: authorized.policy('platform_admin', async (_, { clientId, reason }: ClientArgs & { reason: string }, { services, clientStandings }) => {
    const client = await services.partnerClients.suspend(clientId, reason);
    clientStandings.invalidate();
    return client;
  }),
  reactivatePartnerClient: authorized.policy('platform_admin', async (_, { clientId }: ClientArgs, { services, clientStandings }) => {
    const client = await services.partnerClients.reactivate(clientId);
    clientStandings.invalidate();
    return client;
  }),
};

export const partnerClientTypeResolvers: GraphQLResolverMap<PlatformContext> = {
  PartnerClient: {
    organisation: (client: PartnerClientEntity) => client.name,
    status: (client: PartnerClientEntity) => statusOf(client),
  },
};
