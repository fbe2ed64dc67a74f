import { createDataSource, type ProvinceDefinition } from '../../../shared/src';
import {
  AuditEntryEntity, BookingEntity, BookingEventEntity, CategoryEntity, InstrumentEntity, LabEntity, LabPartnerInstrumentEntity,
  RecognitionEntity, RecognitionGrantEntity, TalentCardEntity, EventEntity, WebhookSubscriptionEntity,
} from './entities';
import { CreateRegistry1764000000000 } from './migrations/1764000000000-CreateRegistry';
import { AddWorkflows1764100000000 } from './migrations/1764100000000-AddWorkflows';
import { AddQueryIndexes1795613053997 } from './migrations/1795613053997-AddQueryIndexes';
import { AddStatsTallies1796000000000 } from './migrations/1796000000000-AddStatsTallies';
import { AddBookingEventActorNames1796100000000 } from './migrations/1796100000000-AddBookingEventActorNames';
import { AddEventOutbox1796260000000 } from './migrations/1796260000000-AddEventOutbox';

/** A province's own database: only this province's rows, reached only with this province's role. */
export function createProvinceDataSource(province: ProvinceDefinition, url: string, poolSize: number) {
  return createDataSource({
    url,
    poolSize,
    applicationName: `shuangcheng-${province.key}`,
    entities: [
      CategoryEntity, LabEntity, LabPartnerInstrumentEntity, InstrumentEntity, TalentCardEntity, RecognitionEntity, BookingEntity,
      BookingEventEntity, AuditEntryEntity, RecognitionGrantEntity, EventEntity, WebhookSubscriptionEntity,
    ],
    migrations: [
      CreateRegistry1764000000000, AddWorkflows1764100000000, AddQueryIndexes1795613053997, AddStatsTallies1796000000000,
      AddBookingEventActorNames1796100000000, AddEventOutbox1796260000000,
    ],
    migrationsTableName: 'registry_migrations',
  });
}
