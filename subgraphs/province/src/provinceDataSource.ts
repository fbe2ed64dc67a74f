import { createDataSource, type ProvinceDefinition } from '../../../shared/src';
import * as entities from './entities';
import { CreateRegistry1764000000000 } from './migrations/1764000000000-CreateRegistry';
import { AddWorkflows1764100000000 } from './migrations/1764100000000-AddWorkflows';
import { AddQueryIndexes1795613053997 } from './migrations/1795613053997-AddQueryIndexes';
import { AddStatsTallies1796000000000 } from './migrations/1796000000000-AddStatsTallies';
import { AddBookingEventActorNames1796100000000 } from './migrations/1796100000000-AddBookingEventActorNames';
import { AddClientGrants1796220000000 } from './migrations/1796220000000-AddClientGrants';
import { AddAccessLog1796220000001 } from './migrations/1796220000001-AddAccessLog';
import { AddInstrumentMetadata1796230000000 } from './migrations/1796230000000-AddInstrumentMetadata';
import { AddServicesAndCharges1796240000000 } from './migrations/1796240000000-AddServicesAndCharges';
import { AddUsageAndQualifications1796250000000 } from './migrations/1796250000000-AddUsageAndQualifications';
import { AddVouchers1796270000000 } from './migrations/1796270000000-AddVouchers';
import { RecordRequestChannels1796290000000 } from './migrations/1796290000000-RecordRequestChannels';
import { AddEventOutbox1796260000000 } from './migrations/1796260000000-AddEventOutbox';
import { AddCardChecks1796280000000 } from './migrations/1796280000000-AddCardChecks';
import { AddClientGrantItems1796280000001 } from './migrations/1796280000001-AddClientGrantItems';
import { AddServiceDeliveries1796280000002 } from './migrations/1796280000002-AddServiceDeliveries';
import { AddTierSchemes1796280000003 } from './migrations/1796280000003-AddTierSchemes';
import { OneChargeLedger1796300000000 } from './migrations/1796300000000-OneChargeLedger';
import { IndexActualUsePeriods1796300000001 } from './migrations/1796300000001-IndexActualUsePeriods';
import { AddMailNotifications1796310000000 } from './migrations/1796310000000-AddMailNotifications';
import { IndexEvaluationPages1796410000000 } from './migrations/1796410000000-IndexEvaluationPages';
import { WithdrawRetiredOfferings1796420000000 } from './migrations/1796420000000-WithdrawRetiredOfferings';
import { SealWebhookSecrets1796425000000 } from './migrations/1796425000000-SealWebhookSecrets';
import { MaskCardNumbersInEvents1796430000000 } from './migrations/1796430000000-MaskCardNumbersInEvents';
import { NumberEventsAtCommit1796440000000 } from './migrations/1796440000000-NumberEventsAtCommit';
import { IndexInstrumentSearchWords1796450000000 } from './migrations/1796450000000-IndexInstrumentSearchWords';
import { ChargeVoucherPartsFollowPayments1796460000000 } from './migrations/1796460000000-ChargeVoucherPartsFollowPayments';
import { IndexVoucherHoldsByCharge1796470000000 } from './migrations/1796470000000-IndexVoucherHoldsByCharge';

/** A province's own database: only this province's rows, reached only with this province's role. */
export function createProvinceDataSource(province: ProvinceDefinition, url: string, poolSize: number) {
  return createDataSource({
    url,
    poolSize,
    applicationName: `shuangcheng-${province.key}`,
    // Every entity the registry maps (entities/index.ts lists them); migrations in timestamp order.
    entities: Object.values(entities),
    migrations: [
      CreateRegistry1764000000000, AddWorkflows1764100000000, AddQueryIndexes1795613053997, AddStatsTallies1796000000000,
      AddBookingEventActorNames1796100000000, AddClientGrants1796220000000, AddAccessLog1796220000001, AddInstrumentMetadata1796230000000, AddServicesAndCharges1796240000000,
      AddUsageAndQualifications1796250000000, AddEventOutbox1796260000000, AddVouchers1796270000000, AddCardChecks1796280000000,
      AddClientGrantItems1796280000001, AddServiceDeliveries1796280000002, AddTierSchemes1796280000003, RecordRequestChannels1796290000000,
      OneChargeLedger1796300000000, IndexActualUsePeriods1796300000001, AddMailNotifications1796310000000, IndexEvaluationPages1796410000000,
      WithdrawRetiredOfferings1796420000000,
      SealWebhookSecrets1796425000000,
      MaskCardNumbersInEvents1796430000000,
      NumberEventsAtCommit1796440000000,
      IndexInstrumentSearchWords1796450000000,
      ChargeVoucherPartsFollowPayments1796460000000,
      IndexVoucherHoldsByCharge1796470000000,
    ],
    migrationsTableName: 'registry_migrations',
  });
}
