import { QueryFailedError } from 'typeorm';

/** PostgreSQL error codes the services turn into answers. */
const UNIQUE_VIOLATION = '23505';
const EXCLUSION_VIOLATION = '23P01';

function driverErrorOf(error: unknown): { code?: string; detail?: string } | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string; detail?: string }) : undefined;
}

/** A unique constraint refused the write; with `column`, only the constraint on that column (e.g. two admins adding one asset code at once). */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const driverError = driverErrorOf(error);
  if (driverError?.code !== UNIQUE_VIOLATION) return false;
  return column === undefined || (driverError.detail ?? '').includes(`(${column})`);
}

/** An exclusion constraint refused the write (two active bookings of one instrument overlapping). */
export function isExclusionViolation(error: unknown): boolean {
  return driverErrorOf(error)?.code === EXCLUSION_VIOLATION;
}
