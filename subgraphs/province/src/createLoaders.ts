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

/** Each feature's loaders, a group made by one call. */
function loaderGroups(repositories: ProvinceRepositories, charges: Pick<ChargeService, 'views'>) {
  return [
    () => createInstrumentLoaders(repositories.instruments),
    () => createLabLoaders(repositories.labs),
    () => createTalentCardLoaders(repositories.talentCards),
    () => createTierLoaders(repositories.tiers),
    () => createBookingLoaders(repositories.bookings),
    () => createRecognitionLoaders(repositories.recognitions),
    () => createQualificationLoaders(repositories.qualifications),
    () => createUsageLoaders(repositories.usage),
    () => createOfferingLoaders(repositories.offerings),
    () => createServiceRequestLoaders(repositories.serviceRequests),
    () => createChargeLoaders(repositories.charges, charges),
    () => createVoucherLoaders(repositories.vouchers, repositories.redemptions),
  ] as const;
}

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
export type Loaders = UnionToIntersection<ReturnType<ReturnType<typeof loaderGroups>[number]>>;

/**
 * Per-request batching: however many references the gateway sends in one
 * `_entities` call, each entity type costs one SQL statement. Each feature
 * defines its loaders; a request gets all of them, fresh, each feature's made
 * when the request first reads one: most requests read one or two kinds of
 * entity, and making some thirty DataLoaders for every request was work for
 * nothing. Returns the function that makes a request's loaders.
 */
export function loadersPerRequest(repositories: ProvinceRepositories, charges: Pick<ChargeService, 'views'>): () => Loaders {
  const groups = loaderGroups(repositories, charges);
  // One prototype for every request: a getter per loader, which makes the loader's group on first use.
  const prototype = {};
  groups.forEach((make, index) => {
    for (const name of Object.keys(make())) {
      Object.defineProperty(prototype, name, {
        enumerable: true,
        get(this: { made: Record<string, unknown>[] }) {
          return (this.made[index] ??= make() as unknown as Record<string, unknown>)[name];
        },
      });
    }
  });
  return () => Object.create(prototype, { made: { value: [] } }) as Loaders;
}
