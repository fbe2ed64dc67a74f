import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import {
  createMetricsRegistry, createTokenVerifier, databaseReadiness, enforceAuthorizationDirectives, identifyRequest, openServiceDatabase, registerDatabasePoolMetrics,
  sendJson, startSubgraphServer, type Logger,
} from '../../../shared/src';
import type { PlatformConfig } from './config';
import type { PlatformContext } from './PlatformContext';
import { createPlatformDataSource } from './platformDataSource';
import { renderPlatformSchema } from './renderPlatformSchema';
import { PartnerClientRepository } from './repositories/PartnerClientRepository';
import { RefreshTokenRepository } from './repositories/RefreshTokenRepository';
import { UserRepository } from './repositories/UserRepository';
import { clientAddress } from './requests/clientAddress';
import { platformResolvers } from './resolvers/platformResolvers';
import { seedDemoAccounts } from './seeds/seedDemoAccounts';
import { AuthService } from './services/AuthService';
import { LoginThrottle } from './services/LoginThrottle';
import { SessionService } from './services/SessionService';
import { loadSigningKeys } from './services/signingKeys';
import { TokenIssuer } from './services/TokenIssuer';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Opens the database (migrating and seeding as configured), loads the signing key and serves the subgraph. */
export async function startPlatformSubgraph(config: PlatformConfig, logger: Logger): Promise<RunningService> {
  const database = await openServiceDatabase(config, 'platform_svc', createPlatformDataSource, logger);
  const { dataSource } = database;
  const metrics = createMetricsRegistry('platform');
  registerDatabasePoolMetrics(metrics, dataSource);
  const users = new UserRepository(dataSource);
  const clients = new PartnerClientRepository(dataSource);
  if (config.seedDemo) {
    await seedDemoAccounts(users, clients);
    logger.info('demo accounts present');
  }

  const keys = await loadSigningKeys(config.signingKey);
  const accessTokens = new TokenIssuer(keys, config.auth, config.accessTokenTtlSeconds);
  const sessions = new SessionService(new RefreshTokenRepository(dataSource), users, accessTokens, config.refreshTokenTtlSeconds);
  const auth = new AuthService(users, clients, sessions, accessTokens, new LoginThrottle(config.loginThrottle));
  const verifier = createTokenVerifier(config.auth, keys.jwks);

  const server = await startSubgraphServer<PlatformContext>({
    // The array form: the object form of buildSubgraphSchema breaks across @apollo/subgraph versions.
    schema: enforceAuthorizationDirectives(buildSubgraphSchema([{ typeDefs: parse(renderPlatformSchema()), resolvers: platformResolvers }]), {
      platform_admin: { describe: () => 'a platform admin', allows: ({ viewer }) => !!viewer?.roles.includes('platform_admin') },
    }),
    port: config.port,
    host: config.host,
    logger,
    production: config.production,
    gatewaySecret: config.gatewaySecret,
    metrics,
    context: async (req) => ({
      ...(await identifyRequest(req, verifier)),
      clientAddress: clientAddress(req, config.trustProxy),
      loaders: { users: new DataLoader((ids: readonly string[]) => users.findByIds(ids)) },
      services: { auth, sessions },
    }),
    checkReady: () => databaseReadiness(dataSource),
    routes: {
      '/.well-known/jwks.json': (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        sendJson(res, 200, keys.jwks);
      },
    },
  });
  logger.info({ url: server.url, kid: keys.kid }, 'platform subgraph ready');
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}
