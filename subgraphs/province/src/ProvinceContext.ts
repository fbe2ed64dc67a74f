import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';
import type { Loaders } from './loaders/createLoaders';
import type { AuditLogService } from './audit/AuditLogService';
import type { BookingService } from './bookings/BookingService';
import type { RecognitionCatalogService } from './recognitions/RecognitionCatalogService';
import type { InstrumentAdminService } from './instruments/InstrumentAdminService';
import type { LabAdminService } from './labs/LabAdminService';
import type { StatsService } from './stats/StatsService';
import type { TalentCardService } from './talentCards/TalentCardService';
import type { ProvinceRepositories } from './persistence/provinceRepositories';

/** Domain services: each owns one workflow and its transactions. */
export interface ProvinceServices {
  readonly bookings: BookingService;
  readonly talentCards: TalentCardService;
  readonly recognitions: RecognitionCatalogService;
  readonly instrumentAdmin: InstrumentAdminService;
  readonly labAdmin: LabAdminService;
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
