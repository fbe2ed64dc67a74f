// Config
export { parseEnv, env, ConfigError } from './config/parseEnv';
export { authEnvSchema, toAuthConfig, type AuthConfig } from './config/authConfig';
export { listenEnvSchema, toListenConfig, type ListenConfig } from './config/listenConfig';
export { readOrCreateSecret } from './config/readOrCreateSecret';
export { isPlaceholderSecret, refusePlaceholderSecrets } from './config/placeholderSecrets';
export { ensureOwnedFolder, type FileOwner, type OwnedFolderOptions } from './files/ownedPaths';
export { spreadsheetCsv, spreadsheetText } from './files/spreadsheetCsv';

// Provinces and ids
export {
  PROVINCES, PROVINCE_KEYS, PROVINCE_TABLE, isProvinceKey, normaliseCardNumber, partnerOf, provinceByCardNumber, provinceByCode, provinceByIdPrefix,
  fillSchemaTemplate, provincePlaceholders, newCardCode, parseCardCode, cardCheckQrPayload, cardCheckKey, parseCardCheckKey, CARD_CHECK_QR_PREFIX, type ProvinceKey, type ProvinceCode, type ProvinceDefinition,
} from './provinces';
export { encodeGlobalId, decodeGlobalId, decodeOwnGlobalId, isUuid, ENTITY_KINDS, type EntityKind, type GlobalId } from './ids/globalId';
export { stableUuid, seededUserId } from './ids/stableUuid';

// Identity
export { ROLES, viewerFromClaims, isProvinceAdmin, clientIdOf, channelClientOf, type Delegation, type Role, type Viewer, type AccessTokenClaims, type ClientQuota } from './auth/claims';
export { ClientStatusDirectory, refusalOf, type ClientStanding, type ClientStandings, type ClientStatusDirectoryOptions } from './auth/ClientStatusDirectory';
export {
  AFFILIATION_KINDS,
  CUSTOMER_CATEGORIES,
  customerCategory,
  isAffiliationKind,
  type AffiliationKind,
  type CustomerCategory,
} from './auth/affiliation';
export {
  createTokenVerifier, TokenRefusedError, TOKEN_REFUSAL_REASONS, type TokenVerifier, type TokenVerifierOptions, type TokenRefusalReason,
} from './auth/createTokenVerifier';
export { createJwksKeySet, type KeySet, type KeySource, type RemoteKeySetOptions } from './auth/createJwksKeySet';
export { createTokenGuard, type TokenGuard, type TokenGuardOptions } from './auth/createTokenGuard';

// Errors
export { ErrorCode, httpStatusFor, type DomainErrorCode } from './errors/ErrorCode';
export { DomainError, badUserInput, unauthenticated, forbidden, notFound, conflict } from './errors/DomainError';
export { createErrorFormatter } from './errors/formatGraphQLError';
export { asRequestError, toGraphQLError } from './errors/toGraphQLError';
export { rateLimitedError } from './errors/rateLimitedError';

// Database
export { databaseEnvSchema, toDatabaseConfig, type DatabaseConfig } from './db/databaseConfig';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embeddedPostgres';
export { provisionDatabase, type DatabaseGrant } from './db/provisionDatabase';
export { resolveDatabaseUrl, type ResolvedDatabase } from './db/resolveDatabaseUrl';

// HTTP and logging
export { startHttpServer, sendJson, type RouteHandler, type RunningHttpServer } from './http/startHttpServer';
export { adminRoutes, type AdminRoutesOptions } from './http/adminRoutes';
export { cacheReadiness, type ReadinessReport, type ReadinessCacheOptions } from './http/cacheReadiness';
export { createCorsPolicy, BROWSER_REQUEST_HEADERS, type CorsPolicy } from './http/createCorsPolicy';
export { requestTarget, type RequestTarget } from './http/requestTarget';
export { localGraphQLFetch } from './http/localGraphQLFetch';
export { originPools, type OriginPools, type PoolTarget } from './http/originPools';
export { pooledJsonPost, type JsonPost, type JsonPostInit, type JsonAnswer, type PooledJsonPost } from './http/pooledJsonPost';
export { clientAddressResolver } from './http/clientAddressResolver';
export type { RequestHead } from './http/RequestHead';
export { createLogger, type Logger } from './logging/createLogger';
export { createDataSource, type DataSourceOptions } from './db/createDataSource';

// GraphQL
export { DateTimeScalar } from './graphql/DateTimeScalar';
export { identifyRequest, type RequestIdentity } from './graphql/requestContext';
export { createSubgraphApollo, type SubgraphApolloOptions } from './graphql/createSubgraphApollo';
export type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
export { runService } from './process/runService';
export { QueueLoop, type QueueLoopOptions } from './process/QueueLoop';
export {
  openLocalSubgraph, startSubgraphService, type LocalSubgraph, type LocalSubgraphOptions, type RunningService, type BackgroundWork, type SubgraphParts, type SubgraphService,
} from './process/startSubgraphService';
export { alignByKey, chunks, groupByKey } from './db/batchResults';
export {
  PreparedRead, PreparedReads, entityColumns, entityReads, entityRows, type EntityColumns, type EntityReads, type EntityRows,
} from './db/preparedReads';
export { entityInsert, type EntityInsert } from './db/entityInsert';
export { MAX_NAMED_STATEMENTS_PER_CONNECTION } from './db/preparingClient';
export { poolOf } from './db/poolOf';
export { runMigrationCommand } from './db/runMigrationCommand';
export { withMigratedDatabase } from './db/withMigratedDatabase';
export { subgraphEnvSchema, toSubgraphConfig, type SubgraphConfig } from './config/subgraphConfig';
export { clientStatusEnvSchema, toClientStatusConfig, type ClientStatusConfig } from './config/clientStatusConfig';
export { openServiceDatabase, type ServiceDatabase } from './db/openServiceDatabase';
export { databaseReadiness } from './db/databaseReadiness';
export { parseInput, input } from './validation/parseInput';
export { requestLoggingPlugin } from './graphql/requestLoggingPlugin';
export { requestPlugin, type RequestPluginOptions } from './graphql/requestPlugin';
export { useRememberedQueryHashes } from './graphql/rememberedQueryHashes';
export { GATEWAY_SECRET_HEADER, gatewayOnlyFieldsPlugin, isGatewaySecret, presentsGatewaySecret } from './graphql/gatewayOnlyFieldsPlugin';

// Tracing (entry points import startTracing directly, before this index loads http and pg)
export { startTracing, stopTracing, tracingRequested } from './tracing/startTracing';
export { joinRequestTrace, REQUEST_ID_ATTRIBUTE } from './tracing/joinRequestTrace';

// Metrics
export { createMetricsRegistry, type MetricsRegistry } from './metrics/createMetricsRegistry';
export { metricsRoutes } from './metrics/metricsRoutes';
export { requestMetricsPlugin, type RequestMetricsOptions } from './metrics/requestMetricsPlugin';
export { registerDatabasePoolMetrics } from './metrics/databasePoolMetrics';
export { enforceAuthorizationDirectives, type Policy } from './authz/enforceAuthorizationDirectives';
export { DELEGABLE_SCOPES, PARTNER_SCOPES, PERSONAL_SCOPES, ROLE_SCOPES, effectiveScopes, isDelegableScope, usageRecordScope } from './authz/scopes';
export { supportedOperationsPlugin } from './graphql/supportedOperationsPlugin';
export { analyzeOperation, type OperationShape } from './limits/analyzeOperation';
export { operationLimitsPlugin } from './limits/operationLimitsPlugin';
export { createOperationLimiter, type OperationLimiter } from './limits/createOperationLimiter';
export { OperationBudget, MAX_COMPARISONS, MAX_INTROSPECTION_DEPTH, MAX_INTROSPECTIONS, type OperationShapeLimits, type LimitRefusal } from './limits/OperationBudget';
export {
  EXPENSIVE_FIELDS, EXPENSIVE_FIELD_KINDS, DEFAULT_MAX_EXPENSIVE_FIELDS, MAX_SIGN_INS_PER_OPERATION, countByKind,
  type ExpensiveFieldKind, type ExpensiveFieldCounts,
} from './limits/expensiveFields';

// China time (UTC+8 calendar days)
export {
  CHINA_UTC_OFFSET_HOURS, CHINA_UTC_OFFSET_SQL, CHINA_DAY_REST_SQL, DAY_MS, HOUR_MS, chinaDay, chinaMidnight, startOfChinaDay, endOfChinaDay,
  formatChinaTime,
} from './time/chinaTime';

// Pagination
export { bigintIdCursor, cursorCodec, instantIdCursor, type CursorCodec } from './graphql/cursorCodec';
export { checkPageSize, toConnection, MAX_PAGE_SIZE, type Connection } from './graphql/connection';
export { selectedFieldNames } from './graphql/selectedFields';
export { SettlingDataLoader } from './graphql/SettlingDataLoader';
export { authorizedResolvers, requirementOf, type Guarded, type PolicyViewer } from './authz/authorizedResolvers';

// Mail
export { createMailer, mailEnvSchema, toMailConfig, type Mailer, type MailConfig, type MailMessage } from './mail/createMailer';

// Development and tests: a real OpenID Provider (npm start's demo-idp; oidc-provider is loaded only when one starts)
export { startDemoOidcProvider, type DemoOidcProvider, type DemoOidcProviderOptions } from './testing/demoOidcProvider';
