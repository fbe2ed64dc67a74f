import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import {
  asRequestError, encodeGlobalId, enforceAuthorizationDirectives, pooledJsonPost, type JsonPost, type ClientStatusDirectory, type Logger, type ProvinceDefinition,
  type RequestIdentity,
  type BackgroundWork, type MetricsRegistry,
} from '../../../shared/src';
import type { ApolloServerPlugin } from '@apollo/server';
import { accessLogPlugin } from './accessLog/accessLogPlugin';
import { AccessLogService } from './accessLog/AccessLogService';
import { AccessRecorder } from './accessLog/AccessRecorder';
import { CatalogueReadCounter } from './accessLog/CatalogueReadCounter';
import { recordAccess } from './accessLog/recordAccess';
import { PROVINCE_POLICIES } from './domain/access';
import type { PlatformPeople } from './domain/platformPeople';
import { loadersPerRequest } from './createLoaders';
import type { ProvinceContext } from './ProvinceContext';
import { renderProvinceSchema } from './renderProvinceSchema';
import { provinceRepositories, type ProvinceRepositories } from './provinceRepositories';
import { keptReadMetrics, uncountedKeptReads } from './persistence/SnapshotCache';
import { UnitOfWork } from './persistence/UnitOfWork';
import { createProvinceResolvers } from './createProvinceResolvers';
import {
  DEFAULT_GATEWAY_URL, DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, DEFAULT_NO_SHOWS, DEFAULT_VOUCHER_CONFIG, type NoShowConfig, type VoucherConfig,
} from './config';
import { EvaluationRepository } from './stats/EvaluationRepository';
import { EvaluationService } from './stats/EvaluationService';
import { GatewayPartnerQualificationChecker } from './qualifications/PartnerQualificationChecker';
import { QualificationService } from './qualifications/QualificationService';
import { UsageService } from './usage/UsageService';
import { StatsRepository } from './stats/StatsRepository';
import { AuditLogService } from './audit/AuditLogService';
import { BookingService } from './bookings/BookingService';
import { ClientGrantService, type ClientEntitlement } from './clientGrants/ClientGrantService';
import { GatewayPartnerInstrumentChecker } from './labs/PartnerInstrumentChecker';
import { RecognitionCatalogService } from './recognitions/RecognitionCatalogService';
import { GatewayPartnerCardChecker } from './recognitions/PartnerCardChecker';
import { ServiceRedemptionService } from './recognitions/ServiceRedemptionService';
import { CategoryAdminService } from './instruments/CategoryAdminService';
import { InstrumentAdminService } from './instruments/InstrumentAdminService';
import { LabAdminService } from './labs/LabAdminService';
import { RegistryImportService } from './registryFiles/RegistryImportService';
import { StatsService } from './stats/StatsService';
import { TalentCardService } from './talentCards/TalentCardService';
import { CardCheckService } from './cardChecks/CardCheckService';
import { DEFAULT_CARD_CODE_SETTINGS, type CardCodeSettings } from './cardChecks/cardCodeSettings';
import { OfferingAdminService } from './offerings/OfferingAdminService';
import { ServiceRequestService } from './serviceRequests/ServiceRequestService';
import { ChargeService } from './charges/ChargeService';
import { ChargeVoucherLedger } from './charges/ChargeVoucherLedger';
import { GatewayVoucherIssuer } from './vouchers/VoucherIssuerClient';
import { VoucherRedemptionService } from './vouchers/VoucherRedemptionService';
import { VoucherService } from './vouchers/VoucherService';
import { VoucherLists } from './vouchers/VoucherLists';
import { VoucherSettlementService } from './vouchers/VoucherSettlementService';
import { VoucherSweeper } from './vouchers/VoucherSweeper';
import { EventFeedService } from './events/EventFeedService';
import { WebhookService } from './events/WebhookService';
import type { WebhookSecretBox } from './events/delivery/webhookSecretKeys';
import { webhookSecretSealer } from './events/webhookSecretSealer';
import type { WebhookAddressPolicy } from './events/delivery/webhookAddresses';

/** Without a configured policy, the strict one. */
const PRODUCTION_WEBHOOK_POLICY: WebhookAddressPolicy = { allowHttp: false, allowPrivateAddresses: false };

export interface ProvinceSubgraph {
  readonly schema: GraphQLSchema;
  /**
   * Fresh per request: the loaders batch and cache only within one request. A partner client's viewer is
   * narrowed to the scopes this province grants it, and refused when the platform suspended it or it expired.
   */
  createContext(identity: RequestIdentity & { authorization?: string }): Promise<ProvinceContext>;
  /** What the server runs around each request: the access log is written as the answer leaves. */
  readonly plugins: ApolloServerPlugin<ProvinceContext>[];
  /** Writes the catalogue counts still in memory; call before the database closes. */
  close(): Promise<void>;
  /** Actual use, for the no-show sweeper the process runs. */
  readonly usage: UsageService;
  /** The voucher housekeeping of this province (issuer expiries, the serving side's unfinished redemptions). */
  readonly voucherSweeper: VoucherSweeper;
  /** What this province grants partner clients now, for the webhook deliveries the process runs (one look-up a round). */
  clientEntitlements(clientIds: readonly string[]): Promise<ReadonlyMap<string, ClientEntitlement>>;
  /** Seals webhook secrets stored plain or by a retired key, once the process serves. */
  readonly webhookSecretSealer: BackgroundWork;
}

export interface ProvinceSubgraphOptions {
  /** Partner clients' standings, as the platform says (clientGrants/platformClientStandings.ts). */
  readonly clientStandings: ClientStatusDirectory;
  /** The platform, asked whether people named by an admin (a voucher's or card's holder, a trained person) have accounts. */
  readonly people: PlatformPeople;
  /** Where failures to write the access log and its counts are reported. */
  readonly logger: Logger;
  /** The service's metrics registry, for the kept reads' counter (`province_kept_reads_total`); none in tests that need none. */
  readonly metrics?: MetricsRegistry;
  /** The gateway, asked about the partner's instruments when a joint lab is written. */
  readonly gatewayUrl?: string;
  /** How the gateway is reached: a keep-alive pool by default; the gateway's in-process fetch in the in-process test system. */
  readonly gatewayFetch?: JsonPost;
  /** Open bookings one person may hold in this province (0 = no cap); default DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON. */
  readonly maxOpenBookingsPerPerson?: number;
  /** No-show grace period and what repeated no-shows cost; default DEFAULT_NO_SHOWS. */
  readonly noShows?: NoShowConfig;
  /** Voucher holds, sweeps and resumption; default DEFAULT_VOUCHER_CONFIG. */
  readonly vouchers?: VoucherConfig;
  /** Seals webhook signing secrets at rest, with the province's WEBHOOK_SECRET_KEYS. */
  readonly webhookSecrets: WebhookSecretBox;
  /** Where webhooks may point (https only, public addresses only, unless development allows more). */
  readonly webhookPolicy?: WebhookAddressPolicy;
  /** How long a holder's verification code lives; default DEFAULT_CARD_CODE_SETTINGS. */
  readonly cardCodes?: CardCodeSettings;
  /** Told after a unit of work committed events (the delivery worker wakes instead of waiting for its next poll). */
  readonly onEventsCommitted?: () => void;
}

/** The province's executable subgraph over its database, independent of HTTP (tests run it in-process). */
export function createProvinceSubgraph(
  province: ProvinceDefinition,
  partner: ProvinceDefinition,
  dataSource: DataSource,
  options: ProvinceSubgraphOptions,
): ProvinceSubgraph {
  // Plain reads go through the DataSource's manager; writes that belong together, through the unit of work.
  const repositories = provinceRepositories(dataSource.manager);
  const keptReads = options.metrics ? keptReadMetrics(options.metrics) : uncountedKeptReads;
  const unitOfWork = new UnitOfWork(dataSource, provinceRepositories, {
    // The outbox: a unit of work's events are written last in its own transaction.
    beforeCommit: (tx) => tx.events.flush(),
    afterCommit: (tx) => {
      if (tx.events.wroteEvents) options.onEventsCommitted?.();
    },
  });
  const gatewayUrl = options.gatewayUrl ?? DEFAULT_GATEWAY_URL;
  const pooledGateway = options.gatewayFetch ? null : pooledJsonPost();
  const gatewayFetch = options.gatewayFetch ?? pooledGateway!.post;
  const usage = new UsageService(province, repositories.usage, unitOfWork, options.noShows ?? DEFAULT_NO_SHOWS);
  const qualifications = new QualificationService(
    province, partner, repositories, unitOfWork, usage, new GatewayPartnerQualificationChecker(gatewayUrl, partner, gatewayFetch), options.people,
  );
  const voucherConfig = options.vouchers ?? DEFAULT_VOUCHER_CONFIG;
  const vouchers = new VoucherService(province, unitOfWork, options.people, repositories.vouchers);
  // A voucher payment pays one of this province's charges: the charges feature's ledger records its parts.
  const voucherRedemptions = new VoucherRedemptionService<ProvinceRepositories>(
    province, unitOfWork, new ChargeVoucherLedger(province), new GatewayVoucherIssuer(gatewayUrl, gatewayFetch), { holdSeconds: voucherConfig.holdSeconds },
    repositories.redemptions,
  );
  const { logger } = options;
  const catalogueReads = new CatalogueReadCounter(repositories.accessLog, (error) => logger.error({ err: error }, 'catalogue read counts not written yet'));
  // Domain services: each owns one workflow and its transactions.
  const clientGrants = new ClientGrantService(province, repositories.clientGrants, unitOfWork, options.clientStandings);
  const services = {
    bookings: new BookingService(province, repositories, unitOfWork, {
      maxOpenBookingsPerPerson: options.maxOpenBookingsPerPerson ?? DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON,
    }, qualifications),
    qualifications,
    usage,
    evaluation: new EvaluationService(province, new EvaluationRepository(dataSource, keptReads), (id) => encodeGlobalId(province, 'instrument', id)),
    talentCards: new TalentCardService(province, unitOfWork, options.people),
    cardChecks: new CardCheckService(province, repositories, options.cardCodes ?? DEFAULT_CARD_CODE_SETTINGS),
    recognitions: new RecognitionCatalogService(province, partner, repositories.recognitions, unitOfWork),
    instrumentAdmin: new InstrumentAdminService(unitOfWork, province),
    categoryAdmin: new CategoryAdminService(unitOfWork),
    labAdmin: new LabAdminService(
      unitOfWork, province, partner, repositories.labs,
      new GatewayPartnerInstrumentChecker(gatewayUrl, partner, gatewayFetch),
    ),
    registryImport: new RegistryImportService(unitOfWork, province, partner),
    stats: new StatsService(province, new StatsRepository(dataSource, keptReads)),
    auditLog: new AuditLogService(repositories.audit),
    offeringAdmin: new OfferingAdminService(unitOfWork, province),
    serviceRequests: new ServiceRequestService(province, repositories, unitOfWork),
    charges: new ChargeService(province, repositories.charges, unitOfWork),
    vouchers,
    voucherRedemptions,
    voucherSettlement: new VoucherSettlementService(province, partner, repositories.vouchers, repositories.redemptions),
    voucherLists: new VoucherLists(repositories.vouchers, repositories.redemptions),
    events: new EventFeedService(province, repositories.events),
    webhooks: new WebhookService(
      province, repositories.webhooks, unitOfWork, options.webhookPolicy ?? PRODUCTION_WEBHOOK_POLICY, (id) => clientGrants.entitlement(id), options.webhookSecrets,
    ),
    clientGrants,
    redemptions: new ServiceRedemptionService(
      province, partner, repositories.recognitions, clientGrants, new GatewayPartnerCardChecker(gatewayUrl, partner, gatewayFetch), repositories.tiers,
    ),
    accessLog: new AccessLogService(repositories.accessLog, catalogueReads),
  };
  const voucherSweeper = new VoucherSweeper(
    { sweep: () => vouchers.sweep(), resume: () => voucherRedemptions.resume(voucherConfig.resumeAfterMs) },
    voucherConfig.sweepIntervalMs,
  );
  const newLoaders = loadersPerRequest(repositories, services.charges);
  return {
    // The array form: the object form of buildSubgraphSchema breaks across @apollo/subgraph versions.
    // The access log wraps the guarded resolvers: only what a caller was answered is recorded as read.
    schema: recordAccess(
      enforceAuthorizationDirectives(
        buildSubgraphSchema([{ typeDefs: parse(renderProvinceSchema(province, partner)), resolvers: createProvinceResolvers(province, partner) }]),
        PROVINCE_POLICIES,
      ),
      province,
    ),
    plugins: [accessLogPlugin<ProvinceContext>(logger)],
    close: async () => {
      await catalogueReads.close();
      await pooledGateway?.close();
    },
    createContext: async (identity) => {
      // Outside field resolution: a refusal is answered with its HTTP status (401, 503).
      const viewer = await asRequestError(() => services.clientGrants.admit(identity.viewer));
      return {
        requestId: identity.requestId,
        authorization: identity.authorization,
        viewer,
        province,
        partner,
        repositories,
        services,
        loaders: newLoaders(),
        accessLog: new AccessRecorder(viewer, identity.requestId),
      };
    },
    usage,
    voucherSweeper,
    clientEntitlements: (clientIds) => clientGrants.entitlements(clientIds),
    webhookSecretSealer: webhookSecretSealer(services.webhooks),
  };
}

