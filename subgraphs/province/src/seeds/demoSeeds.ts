import { PROVINCE_KEYS, type ProvinceKey } from '../../../../shared/src';
import { loadProvinceSeed } from './loadProvinceSeed';
import type { ProvinceSeed } from './provinceSeedSchema';

/**
 * Every province's demo data by province, for tests and tools that look at all of them. Each
 * file is read when first asked for, so importing this costs nothing; a province process uses
 * `loadProvinceSeed` for its own.
 */
export const DEMO_SEEDS: Readonly<Record<ProvinceKey, ProvinceSeed>> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(PROVINCE_KEYS.map((key) => {
      let seed: ProvinceSeed | undefined;
      return [key, { enumerable: true, get: () => (seed ??= loadProvinceSeed(key)) }];
    })),
  ) as Record<ProvinceKey, ProvinceSeed>,
);
