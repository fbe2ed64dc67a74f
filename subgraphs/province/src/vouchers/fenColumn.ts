import type { ValueTransformer } from 'typeorm';

/**
 * bigint fen as a JavaScript number. PostgreSQL hands bigint back as a string;
 * every amount here is capped far below 2^53 (MAX_VOUCHER_FEN), so a number is exact.
 */
export const fen: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
