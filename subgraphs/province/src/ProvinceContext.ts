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

/** Per-request state of a province subgraph. */
export interface ProvinceContext extends RequestIdentity {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly repositories: ProvinceRepositories;
  readonly loaders: Loaders;
}
