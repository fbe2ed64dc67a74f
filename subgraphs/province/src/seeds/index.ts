import type { ProvinceKey } from '../../../../shared/src';
import { chongqingSeed } from './chongqingSeed';
import { sichuanSeed } from './sichuanSeed';
import type { ProvinceSeed } from './types';

/** Demo data by province: the only place the two deployments differ besides configuration. */
export const DEMO_SEEDS: Readonly<Record<ProvinceKey, ProvinceSeed>> = { sichuan: sichuanSeed, chongqing: chongqingSeed };

export { seedProvince, seededId } from './seedProvince';
export type { ProvinceSeed } from './types';
