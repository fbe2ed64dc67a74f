import { createBookingLoaders } from './bookings/bookingLoaders';
import { createInstrumentLoaders } from './instruments/instrumentLoaders';
import { createLabLoaders } from './labs/labLoaders';
import type { ProvinceRepositories } from './provinceRepositories';
import { createRecognitionLoaders } from './recognitions/recognitionLoaders';
import { createTalentCardLoaders } from './talentCards/talentCardLoaders';
import { createVoucherLoaders } from './vouchers/voucherLoaders';

/**
 * Per-request batching: however many references the gateway sends in one
 * `_entities` call, each entity type costs one SQL statement. Each feature
 * defines its loaders; a request gets all of them, fresh.
 */
export function createLoaders(repositories: ProvinceRepositories) {
  return {
    ...createInstrumentLoaders(repositories.instruments),
    ...createLabLoaders(repositories.labs),
    ...createTalentCardLoaders(repositories.talentCards),
    ...createBookingLoaders(repositories.bookings),
    ...createRecognitionLoaders(repositories.recognitions),
    ...createVoucherLoaders(repositories.vouchers),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
