import type { DataSource } from 'typeorm';
import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';
import type { Loaders } from './loaders/createLoaders';
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
}

/** Per-request state of a province subgraph. */
export interface ProvinceContext extends RequestIdentity {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly repositories: ProvinceRepositories;
  readonly services: ProvinceServices;
  readonly loaders: Loaders;
}
