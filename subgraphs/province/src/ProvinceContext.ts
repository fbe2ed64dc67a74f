import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';
import type { Loaders } from './loaders/createLoaders';
import type { AuditLogService } from './services/AuditLogService';
import type { BookingService } from './services/BookingService';
import type { RecognitionCatalogService } from './services/RecognitionCatalogService';
import type { RegistryAdminService } from './services/RegistryAdminService';
import type { StatsService } from './services/StatsService';
import type { TalentCardService } from './services/TalentCardService';
import type { ProvinceRepositories } from './repositories';

/** Domain services: each owns one workflow and its transactions. */
export interface ProvinceServices {
  readonly bookings: BookingService;
  readonly talentCards: TalentCardService;
  readonly recognitions: RecognitionCatalogService;
  readonly registryAdmin: RegistryAdminService;
  readonly stats: StatsService;
  readonly auditLog: AuditLogService;
}

/** Per-request state of a province subgraph. */
export interface ProvinceContext extends RequestIdentity {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly repositories: ProvinceRepositories;
  readonly services: ProvinceServices;
  readonly loaders: Loaders;
  /** The caller's Authorization header, passed on when this subgraph asks the gateway on the caller's behalf. */
  readonly authorization?: string;
}
