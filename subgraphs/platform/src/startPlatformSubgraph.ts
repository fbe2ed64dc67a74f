import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import {
  ClientStatusDirectory, asRequestError, enforceAuthorizationDirectives, sendJson, startSubgraphService, type Logger, type RunningService, type SubgraphService,
} from '../../../shared/src';
import type { PlatformConfig } from './config';
import type { PlatformContext } from './PlatformContext';
import { createPlatformDataSource } from './platformDataSource';
import { renderPlatformSchema } from './renderPlatformSchema';
import { LoginThrottleRepository } from './repositories/LoginThrottleRepository';
import { PartnerClientRepository } from './repositories/PartnerClientRepository';
import { RefreshTokenRepository } from './repositories/RefreshTokenRepository';
import { UserRepository } from './repositories/UserRepository';
import { platformClientAddress } from './requests/platformClientAddress';
import { platformResolvers } from './resolvers/platformResolvers';
import { seedDemoAccounts } from './seeds/seedDemoAccounts';
import { AuthService } from './services/AuthService';
import { LoginThrottle } from './services/LoginThrottle';
import { PartnerClientService } from './services/PartnerClientService';
import { SessionService } from './services/SessionService';
import { loadSigningKeys } from './services/signingKeys';
import { TokenIssuer } from './services/TokenIssuer';

/** Opens the database (migrating and seeding as configured), loads the signing key and serves the subgraph. */
export function startPlatformSubgraph(config: PlatformConfig, logger: Logger): Promise<RunningService> {
  return startSubgraphService(platformSubgraphService(config), config, logger);
}

/** What the platform subgraph is, for startSubgraphService (its own process) or openLocalSubgraph (in-process). */
export function platformSubgraphService(config: PlatformConfig): SubgraphService<PlatformContext> {
  return {
    name: 'platform',
    databaseRole: 'platform_svc',
    createDataSource: createPlatformDataSource,
    seedDemo: (dataSource) => seedDemoAccounts(new UserRepository(dataSource), new PartnerClientRepository(dataSource)),
    createParts: async (dataSource) => {
      const clientAddress = platformClientAddress(config);
      const users = new UserRepository(dataSource);
      const keys = await loadSigningKeys(config.signingKey);
      const accessTokens = new TokenIssuer(keys, config.auth, config.accessTokenTtlSeconds);
      const sessions = new SessionService(new RefreshTokenRepository(dataSource), users, accessTokens, config.refreshTokenTtlSeconds);
      const throttle = new LoginThrottle(new LoginThrottleRepository(dataSource), config.loginThrottle);
      const partnerClients = new PartnerClientService(new PartnerClientRepository(dataSource));
      const auth = new AuthService(users, partnerClients, sessions, accessTokens, throttle);
      // The platform reads the standings from its own database; a change made here forgets them at once.
      const clientStandings = new ClientStatusDirectory({
        load: () => partnerClients.standings(),
        maxAgeMs: config.clientStatus.maxAgeMs,
        maxStaleMs: config.clientStatus.maxStaleMs,
      });
      return {
        // The array form: the object form of buildSubgraphSchema breaks across @apollo/subgraph versions.
        schema: enforceAuthorizationDirectives(buildSubgraphSchema([{ typeDefs: parse(renderPlatformSchema()), resolvers: platformResolvers }]), {
          platform_admin: { describe: () => 'a platform admin', allows: ({ viewer }) => !!viewer?.roles.includes('platform_admin') },
        }),
        // The platform verifies tokens with the keys it holds.
        localJwks: keys.jwks,
        context: async (req, identity) => {
          // Client tokens are admitted by their client's standing here as at every subgraph; a change made here applies at once.
          await asRequestError(() => clientStandings.admit(identity.viewer));
          return {
            ...identity,
            clientAddress: clientAddress(req),
            loaders: { users: new DataLoader((ids: readonly string[]) => users.findByIds(ids)) },
            services: { auth, sessions, partnerClients },
            clientStandings,
          };
        },
        routes: {
          '/.well-known/jwks.json': (_req, res) => {
            res.setHeader('cache-control', 'public, max-age=300');
            sendJson(res, 200, keys.jwks);
          },
        },
        readyDetails: { kid: keys.kid },
      };
    },
  };
}

