/**
 * China Standard Time: UTC+8 all year. China has no daylight saving time, so
 * a fixed offset is exact and no time-zone database is needed (in Node, in
 * the browser or in PostgreSQL). Calendar days of bookings, talent cards and
 * statistics are days in this time.
 *
 * Pure and dependency-free: the dashboard bundles it for the browser.
 */
export const CHINA_UTC_OFFSET_HOURS = 8;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = CHINA_UTC_OFFSET_HOURS * HOUR_MS;
/** `+08:00`, the ISO-8601 suffix of China time. */
const OFFSET_SUFFIX = `+${String(CHINA_UTC_OFFSET_HOURS).padStart(2, '0')}:00`;

/** The offset as a PostgreSQL interval literal, for SQL that turns instants into China calendar days. */
export const CHINA_UTC_OFFSET_SQL = `interval '${CHINA_UTC_OFFSET_HOURS} hours'`;
/** The hours from a China midnight to the next UTC midnight, as a PostgreSQL interval literal. */
export const CHINA_DAY_REST_SQL = `interval '${24 - CHINA_UTC_OFFSET_HOURS} hours'`;

/** The calendar day (YYYY-MM-DD) an instant falls on in China. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant the China calendar day containing `instant` starts. */
export function chinaMidnight(instant: Date): Date {
  const local = instant.getTime() + CHINA_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS - CHINA_OFFSET_MS);
}

/** The first instant of a China calendar day (YYYY-MM-DD). */
export function startOfChinaDay(day: string): Date {
  return new Date(`${day}T00:00:00.000${OFFSET_SUFFIX}`);
}

/** The last millisecond of a China calendar day (YYYY-MM-DD): a thing valid "until" that day is valid through it. */
export function endOfChinaDay(day: string): Date {
  return new Date(`${day}T23:59:59.999${OFFSET_SUFFIX}`);
}

/** `2026-12-01 09:00 (UTC+8)`, for messages people read. */
export function formatChinaTime(instant: Date): string {
  const local = new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
  return `${local} (UTC+${CHINA_UTC_OFFSET_HOURS})`;
}
