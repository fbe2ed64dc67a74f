import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import {
  ClientStatusDirectory, asRequestError, createMailer, enforceAuthorizationDirectives, presentsGatewaySecret, sendJson,
  startSubgraphService, type Logger, type RunningService, type SubgraphService,
} from '../../../shared/src';
import type { PlatformConfig } from './config';
import type { PlatformContext } from './PlatformContext';
import { ExternalSignInService } from './externalSignIn/ExternalSignInService';
import { OidcRelyingParty } from './externalSignIn/OidcRelyingParty';
import { createPlatformDataSource } from './platformDataSource';
import { renderPlatformSchema } from './renderPlatformSchema';
import { AccountTokenRepository } from './repositories/AccountTokenRepository';
import { ExternalIdentityRepository } from './repositories/ExternalIdentityRepository';
import { LoginThrottleRepository } from './repositories/LoginThrottleRepository';
import { PartnerClientRepository } from './repositories/PartnerClientRepository';
import { RefreshTokenRepository } from './repositories/RefreshTokenRepository';
import { SignInStateRepository } from './repositories/SignInStateRepository';
import { UserRepository } from './repositories/UserRepository';
import { platformClientAddress } from './requests/platformClientAddress';
import { platformResolvers } from './resolvers/platformResolvers';
import { seedDemoAccounts } from './seeds/seedDemoAccounts';
import { AccountService } from './services/AccountService';
import { unverifiedAccountSweeper } from './services/unverifiedAccountSweeper';
import { AffiliationService } from './services/AffiliationService';
import { MailSettingsService } from './services/MailSettingsService';
import { AuthService } from './services/AuthService';
import { LoginThrottle } from './services/LoginThrottle';
import { PartnerClientService } from './services/PartnerClientService';
import { SessionService } from './services/SessionService';
import { loadSigningKeys } from './services/signingKeys';
import { TokenIssuer } from './services/TokenIssuer';
import { CalendarFeedService } from './services/CalendarFeedService';
import { CalendarFeedRepository } from './repositories/CalendarFeedRepository';
import { ClientConsentRepository } from './repositories/ClientConsentRepository';
import { ConsentService } from './services/ConsentService';

const CALENDAR_FEED_TOKEN_TTL_SECONDS = 60;

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
    seedDemo: (dataSource) =>
      seedDemoAccounts(new UserRepository(dataSource), new PartnerClientRepository(dataSource), new ClientConsentRepository(dataSource)),
    createParts: async (dataSource, logger) => {
      const clientAddress = platformClientAddress(config);
      const users = new UserRepository(dataSource);
      const keys = await loadSigningKeys(config.signingKey);
      const accessTokens = new TokenIssuer(keys, config.auth, config.accessTokenTtlSeconds);
      const sessions = new SessionService(new RefreshTokenRepository(dataSource), users, accessTokens, config.refreshTokenTtlSeconds);
      const throttle = new LoginThrottle(new LoginThrottleRepository(dataSource), config.loginThrottle);
      // A feed's fetch needs the person's authority for one request through the gateway: a minute is plenty.
      const calendarFeeds = new CalendarFeedService(
        new CalendarFeedRepository(dataSource), users, new TokenIssuer(keys, config.auth, CALENDAR_FEED_TOKEN_TTL_SECONDS), config.calendarFeedBaseUrl,
      );
      const partnerClientRepository = new PartnerClientRepository(dataSource);
      const partnerClients = new PartnerClientService(partnerClientRepository);
      const consents = new ConsentService(
        new ClientConsentRepository(dataSource), partnerClientRepository, users,
        new TokenIssuer(keys, config.auth, config.delegatedTokenTtlSeconds), config.delegatedTokenTtlSeconds,
      );
      const auth = new AuthService(users, partnerClients, sessions, accessTokens, throttle, consents);
      // The platform reads the standings from its own database; a change made here forgets them at once.
      const clientStandings = new ClientStatusDirectory({
        load: async () => ({ clients: await partnerClients.standings(), revokedConsents: await consents.revokedRecently() }),
        maxAgeMs: config.clientStatus.maxAgeMs,
        maxStaleMs: config.clientStatus.maxStaleMs,
      });
      // Plain-http providers only outside production (a provider on this machine in development and tests).
      const relyingParty = await OidcRelyingParty.create(!config.production);
      const externalSignIn = new ExternalSignInService(
        config.externalSignIn, relyingParty, new SignInStateRepository(dataSource), new ExternalIdentityRepository(dataSource), sessions,
      );
      const affiliations = new AffiliationService(users);
      const mailSettings = new MailSettingsService(users);
      const mailer = createMailer(config.mail, logger);
      const { accountMail } = config;
      // Counters of their own (keys prefixed "mail:"), so mail requests and failed sign-ins never use each other's allowance.
      const mailThrottle = new LoginThrottle(new LoginThrottleRepository(dataSource), {
        maxFailuresPerAccountAddress: accountMail.maxPerEmail,
        maxFailuresPerAccount: accountMail.maxPerEmail * 3,
        maxFailuresPerAddress: accountMail.maxPerNetworkAddress,
        windowSeconds: accountMail.windowSeconds,
        knownAddressDays: 1,
      });
      const accounts = new AccountService(users, new AccountTokenRepository(dataSource), mailThrottle, mailer, accountMail, config.production, logger);
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
          let address: string | undefined;
          return {
            viewer: identity.viewer,
            requestId: identity.requestId,
            // Only signing in, registering and mail throttles read it: worked out on first use, not for every request.
            get clientAddress() {
              return (address ??= clientAddress(req));
            },
            get fromGateway() {
              return !!config.gatewaySecret && presentsGatewaySecret(req, config.gatewaySecret);
            },
            signedInNow: new Set<string>(),
            loaders: {
              users: new DataLoader((ids: readonly string[]) => users.findByIds(ids)),
              partnerClients: new DataLoader((ids: readonly string[]) => partnerClientRepository.findByClientIds(ids)),
            },
            services: { auth, sessions, partnerClients, calendarFeeds, externalSignIn, affiliations, accounts, consents, mailSettings },
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
        background: [unverifiedAccountSweeper(accounts, accountMail.purgeSweepSeconds)],
        close: () => mailer.close(),
      };
    },
  };
}

