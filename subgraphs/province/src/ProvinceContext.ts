import type { DataSource } from 'typeorm';
import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';
import type { Loaders } from './loaders/createLoaders';
import type { BookingService } from './services/BookingService';
import type { RecognitionCatalogService } from './services/RecognitionCatalogService';
import type { TalentCardService } from './services/TalentCardService';
import type {
  BookingRepository, CategoryRepository, InstrumentRepository, LabRepository, RecognitionRepository, TalentCardRepository,
} from './repositories';

export interface ProvinceRepositories {
  readonly instruments: InstrumentRepository;
  readonly labs: LabRepository;
  readonly categories: CategoryRepository;
  readonly talentCards: TalentCardRepository;
  readonly recognitions: RecognitionRepository;
  readonly bookings: BookingRepository;
}

/** Domain services: each owns one workflow and its transactions. */
export interface ProvinceServices {
  readonly bookings: BookingService;
  readonly talentCards: TalentCardService;
  readonly recognitions: RecognitionCatalogService;
}

/** Per-request state of a province subgraph. */
export interface ProvinceContext extends RequestIdentity {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly repositories: ProvinceRepositories;
  readonly services: ProvinceServices;
  readonly loaders: Loaders;
}
