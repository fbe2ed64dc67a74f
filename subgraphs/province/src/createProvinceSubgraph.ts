import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { enforceAuthorizationDirectives, type ProvinceDefinition, type RequestIdentity } from '../../../shared/src';
import { PROVINCE_POLICIES } from './domain/access';
import { createLoaders } from './createLoaders';
import type { ProvinceContext } from './ProvinceContext';
import { renderProvinceSchema } from './renderProvinceSchema';
import { provinceRepositories } from './provinceRepositories';
import { UnitOfWork } from './persistence/UnitOfWork';
import { createProvinceResolvers } from './createProvinceResolvers';
import { DEFAULT_GATEWAY_URL, DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON } from './config';
import { StatsRepository } from './stats/StatsRepository';
import { AuditLogService } from './audit/AuditLogService';
import { BookingService } from './bookings/BookingService';
import { GatewayPartnerInstrumentChecker } from './labs/PartnerInstrumentChecker';
import { RecognitionCatalogService } from './recognitions/RecognitionCatalogService';
import { InstrumentAdminService } from './instruments/InstrumentAdminService';
import { LabAdminService } from './labs/LabAdminService';
import { StatsService } from './stats/StatsService';
import { TalentCardService } from './talentCards/TalentCardService';
import { EventFeedService } from './events/EventFeedService';
import { WebhookService } from './events/WebhookService';
import type { WebhookAddressPolicy } from './events/delivery/webhookAddresses';

/** Without a configured policy, the strict one. */
const PRODUCTION_WEBHOOK_POLICY: WebhookAddressPolicy = { allowHttp: false, allowPrivateAddresses: false };

export interface ProvinceSubgraph {
  readonly schema: GraphQLSchema;
  /** Fresh per request: the loaders batch and cache only within one request. */
  createContext(identity: RequestIdentity & { authorization?: string }): ProvinceContext;
}

export interface ProvinceSubgraphOptions {
  /** The gateway, asked about the partner's instruments when a joint lab is written. */
  readonly gatewayUrl?: string;
  /** How the gateway is reached: the network by default; the gateway's in-process fetch in the in-process test system. */
  readonly gatewayFetch?: typeof fetch;
  /** Open bookings one person may hold in this province (0 = no cap); default DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON. */
  readonly maxOpenBookingsPerPerson?: number;
  /** Where webhooks may point (https only, public addresses only, unless development allows more). */
  readonly webhookPolicy?: WebhookAddressPolicy;
  /** Told after a unit of work committed events (the delivery worker wakes instead of waiting for its next poll). */
  readonly onEventsCommitted?: () => void;
}

/** The province's executable subgraph over its database, independent of HTTP (tests run it in-process). */
export function createProvinceSubgraph(
  province: ProvinceDefinition,
  partner: ProvinceDefinition,
  dataSource: DataSource,
  options: ProvinceSubgraphOptions = {},
): ProvinceSubgraph {
  // Plain reads go through the DataSource's manager; writes that belong together, through the unit of work.
  const repositories = provinceRepositories(dataSource.manager);
  const unitOfWork = new UnitOfWork(dataSource, provinceRepositories, {
    // The outbox: a unit of work's events are written last in its own transaction.
    beforeCommit: (tx) => tx.events.flush(),
    afterCommit: (tx) => {
      if (tx.events.wroteEvents) options.onEventsCommitted?.();
    },
  });
  // Domain services: each owns one workflow and its transactions.
  const services = {
    bookings: new BookingService(province, repositories, unitOfWork, {
      maxOpenBookingsPerPerson: options.maxOpenBookingsPerPerson ?? DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON,
    }),
    talentCards: new TalentCardService(province, unitOfWork),
    recognitions: new RecognitionCatalogService(province, partner, repositories.recognitions, unitOfWork),
    instrumentAdmin: new InstrumentAdminService(unitOfWork, province),
    labAdmin: new LabAdminService(
      unitOfWork, province, partner, repositories.labs,
      new GatewayPartnerInstrumentChecker(options.gatewayUrl ?? DEFAULT_GATEWAY_URL, partner, options.gatewayFetch),
    ),
    stats: new StatsService(province, new StatsRepository(dataSource)),
    auditLog: new AuditLogService(repositories.audit),
    events: new EventFeedService(province, repositories.events),
    webhooks: new WebhookService(province, repositories.webhooks, unitOfWork, options.webhookPolicy ?? PRODUCTION_WEBHOOK_POLICY),
  };
  return {
    // The array form: the object form of buildSubgraphSchema breaks across @apollo/subgraph versions.
    schema: enforceAuthorizationDirectives(
      buildSubgraphSchema([{ typeDefs: parse(renderProvinceSchema(province, partner)), resolvers: createProvinceResolvers(province, partner) }]),
      PROVINCE_POLICIES,
    ),
    createContext: (identity) => ({ ...identity, province, partner, repositories, services, loaders: createLoaders(repositories) }),
  };
}
