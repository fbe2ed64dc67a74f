import { createHash } from 'node:crypto';
import { PROVINCES, PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';

// The generator's row ids, apart from the generator itself (pg, the province's categories) so that what only needs ids loads little.

/** Namespace of one province's row ids (the partner derives the same ids without reading this database). */
export const namespace = (seed: string, province: ProvinceKey) => `${seed}:${province}`;

/** The id the generator gives row `n` of a table: `md5(namespace:kind:n)` read as a UUID. */
export function generatedId(seed: string, province: ProvinceKey, kind: 'instrument' | 'lab' | 'card' | 'booking', n: number): string {
  const hex = createHash('md5').update(`${namespace(seed, province)}:${kind}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Global ids of `perProvince` generated instruments of each province spread evenly over the first `instruments`
 * (rows 1, 1 + instruments / perProvince, …), the provinces in turn: lookups that reach every part of the table.
 */
export function spreadInstrumentIds(seed: string, instruments: number, perProvince: number): string[] {
  const count = Math.min(perProvince, instruments);
  const rows = Array.from({ length: count }, (_, k) => 1 + Math.floor((k * instruments) / count));
  return rows.flatMap((n) => PROVINCE_KEYS.map((province) => `${PROVINCES[province].idPrefix}:instrument:${generatedId(seed, province, 'instrument', n)}`));
}

