import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import {
  asRequestError, enforceAuthorizationDirectives, type ClientStatusDirectory, type Logger, type ProvinceDefinition, type RequestIdentity,
} from '../../../shared/src';
import type { ApolloServerPlugin } from '@apollo/server';
import { accessLogPlugin } from './accessLog/accessLogPlugin';
import { AccessLogService } from './accessLog/AccessLogService';
import { AccessRecorder } from './accessLog/AccessRecorder';
import { CatalogueReadCounter } from './accessLog/CatalogueReadCounter';
import { recordAccess } from './accessLog/recordAccess';
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
import { ClientGrantService } from './clientGrants/ClientGrantService';
import { GatewayPartnerInstrumentChecker } from './labs/PartnerInstrumentChecker';
import { RecognitionCatalogService } from './recognitions/RecognitionCatalogService';
import { InstrumentAdminService } from './instruments/InstrumentAdminService';
import { LabAdminService } from './labs/LabAdminService';
import { StatsService } from './stats/StatsService';
import { TalentCardService } from './talentCards/TalentCardService';

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
}

export interface ProvinceSubgraphOptions {
  /** Partner clients' standings, as the platform says (clientGrants/platformClientStandings.ts). */
  readonly clientStandings: ClientStatusDirectory;
  /** Where failures to write the access log and its counts are reported. */
  readonly logger: Logger;
  /** The gateway, asked about the partner's instruments when a joint lab is written. */
  readonly gatewayUrl?: string;
  /** How the gateway is reached: the network by default; the gateway's in-process fetch in the in-process test system. */
  readonly gatewayFetch?: typeof fetch;
  /** Open bookings one person may hold in this province (0 = no cap); default DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON. */
  readonly maxOpenBookingsPerPerson?: number;
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
  const unitOfWork = new UnitOfWork(dataSource, provinceRepositories);
  const { logger } = options;
  const catalogueReads = new CatalogueReadCounter(repositories.accessLog, (error) => logger.error({ err: error }, 'catalogue read counts not written yet'));
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
    clientGrants: new ClientGrantService(province, repositories.clientGrants, unitOfWork, options.clientStandings),
    accessLog: new AccessLogService(repositories.accessLog, catalogueReads),
  };
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
    close: () => catalogueReads.close(),
    createContext: async (identity) => {
      // Outside field resolution: a refusal is answered with its HTTP status (401, 503).
      const viewer = await asRequestError(() => services.clientGrants.admit(identity.viewer));
      return {
        ...identity,
        viewer,
        province,
        partner,
        repositories,
        services,
        loaders: createLoaders(repositories),
        accessLog: new AccessRecorder(viewer, identity.requestId),
      };
    },
  };
}

