import { createDataSource, type ProvinceDefinition } from '../../../shared/src';
import {
  BookingEntity, CategoryEntity, InstrumentEntity, LabEntity, LabPartnerInstrumentEntity, RecognitionEntity, TalentCardEntity,
} from './entities';
import { CreateRegistry1764000000000 } from './migrations/1764000000000-CreateRegistry';

/** A province's own database: only this province's rows, reached only with this province's role. */
export function createProvinceDataSource(province: ProvinceDefinition, url: string, poolSize: number) {
  return createDataSource({
    url,
    poolSize,
    applicationName: `shuangcheng-${province.key}`,
    entities: [CategoryEntity, LabEntity, LabPartnerInstrumentEntity, InstrumentEntity, TalentCardEntity, RecognitionEntity, BookingEntity],
    migrations: [CreateRegistry1764000000000],
    migrationsTableName: 'registry_migrations',
  });
}
