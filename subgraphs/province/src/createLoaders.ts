import { createBookingLoaders } from './bookings/bookingLoaders';
import { createInstrumentLoaders } from './instruments/instrumentLoaders';
import { createLabLoaders } from './labs/labLoaders';
import type { ProvinceRepositories } from './provinceRepositories';
import { createQualificationLoaders } from './qualifications/qualificationLoaders';
import { createRecognitionLoaders } from './recognitions/recognitionLoaders';
import { createTalentCardLoaders } from './talentCards/talentCardLoaders';
import { createTierLoaders } from './talentCards/tierLoaders';
import { createUsageLoaders } from './usage/usageLoaders';
import { createOfferingLoaders } from './offerings/offeringLoaders';
import { createServiceRequestLoaders } from './serviceRequests/serviceRequestLoaders';
import { createChargeLoaders } from './charges/chargeLoaders';
import type { ChargeService } from './charges/ChargeService';
import { createVoucherLoaders } from './vouchers/voucherLoaders';

/**
 * Per-request batching: however many references the gateway sends in one
 * `_entities` call, each entity type costs one SQL statement. Each feature
 * defines its loaders; a request gets all of them, fresh.
 */
export function createLoaders(repositories: ProvinceRepositories, charges: Pick<ChargeService, 'views'>) {
  return {
    ...createInstrumentLoaders(repositories.instruments),
    ...createLabLoaders(repositories.labs),
    ...createTalentCardLoaders(repositories.talentCards),
    ...createTierLoaders(repositories.tiers),
    ...createBookingLoaders(repositories.bookings),
    ...createRecognitionLoaders(repositories.recognitions),
    ...createQualificationLoaders(repositories.qualifications),
    ...createUsageLoaders(repositories.usage),
    ...createOfferingLoaders(repositories.offerings),
    ...createServiceRequestLoaders(repositories.serviceRequests),
    ...createChargeLoaders(repositories.charges, charges),
    ...createVoucherLoaders(repositories.vouchers, repositories.redemptions),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
