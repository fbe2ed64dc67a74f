import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { CHINA_DAY_REST_SQL, CHINA_UTC_OFFSET_SQL, chinaDay, poolOf } from '../../../../shared/src';
import { SnapshotCache, uncountedKeptReads, type KeptReadObserver } from '../persistence/SnapshotCache';

/** A half-open period [from, to). */
export interface StatsPeriod {
  readonly from: Date;
  readonly to: Date;
}

export interface StatsRows {
  /** Instruments per category and status; a category without instruments appears once with status null. */
  readonly instruments: { category: string; status: string | null; count: number }[];
  readonly bookingsByStatus: { status: string; count: number }[];
  /** Every UTC+8 day of the period, in order. */
  readonly bookingsPerDay: { day: string; bookings: number; bookedHours: number; usedHours: number }[];
  /** Every category. */
  readonly utilisation: { category: string; bookedHours: number; usedHours: number; openHours: number }[];
  /** Cards per tier and effective status (ACTIVE past its last day counts as EXPIRED). */
  readonly talentCards: { tier: string; status: string; count: number }[];
  readonly recognitionsGranted: number;
  /** Recognised services this province's providers delivered (redeemed) in the period, by item. */
  readonly servicesDelivered: { item: string; count: number }[];
  /** Service requests submitted in the period, by their status now. */
  readonly serviceRequestsByStatus: { status: string; count: number }[];
  /** Days from submission to report of the requests whose report was issued in the period. */
  readonly turnaround: { reportsIssued: number; averageDays: number | null; medianDays: number | null };
  /** The lines of charges written in the period, summed by offering kind, in fen as a decimal string. */
  readonly incomeByKind: { kind: string; amountFen: string }[];
  readonly labs: number;
  readonly jointLabs: number;
}

/** Statuses of bookings that take an instrument's time (rejected and cancelled ones do not). */
const ACTIVE_STATUSES = "('REQUESTED', 'CONFIRMED', 'COMPLETED')";

/**
 * The calendar days (UTC+8) that the period $1..$2 touches: `midnight` is the
 * day's start as a local timestamp, [lo, hi) the part of the day inside the
 * period. UTC+8 is written as an offset (shared/src/time/chinaTime), not a
 * zone name, so no tz database is needed (and China has no daylight saving time).
 */

const DAYS = `
  days AS (
    SELECT midnight::date AS day,
           midnight,
           GREATEST((midnight - ${CHINA_UTC_OFFSET_SQL}) AT TIME ZONE 'UTC', $1::timestamptz) AS lo,
           LEAST((midnight + ${CHINA_DAY_REST_SQL}) AT TIME ZONE 'UTC', $2::timestamptz) AS hi
      FROM generate_series(
             date_trunc('day', ($1::timestamptz AT TIME ZONE 'UTC') + ${CHINA_UTC_OFFSET_SQL}),
             ($2::timestamptz AT TIME ZONE 'UTC') + ${CHINA_UTC_OFFSET_SQL} - interval '1 microsecond',
             interval '1 day') AS midnight
  )`;

/**
 * Booking b's period [starts_at, ends_at) overlaps [from, to): written as a range
 * overlap so the partial GiST index on active bookings' periods answers it.
 */
const OVERLAPS = (from: string, to: string) => `tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(${from}, ${to}, '[)')`;

/** Hours between two timestamptz expressions, as float8 (pg returns numeric as text). */
const hours = (from: string, to: string) => `extract(epoch FROM (${to}) - (${from}))::float8 / 3600`;

/** A JSON array of a query's rows, `[]` when there are none. */
const jsonRows = (query: string, orderBy: string) => `(SELECT coalesce(json_agg(r ORDER BY ${orderBy}), '[]') FROM (${query}) AS r)`;

/**
 * Whole days of the period are read from the tallies the triggers keep
 * (migration AddStatsTallies); the partial first and last day of a period
 * that does not start or end at a UTC+8 midnight are counted from the
 * bookings themselves, which is one day's rows at most on each side.
 */
const STATS = `
  WITH ${DAYS},
  whole_days AS (SELECT min(day) AS first, max(day) AS last, count(*) AS count FROM days WHERE hi - lo = interval '1 day'),
  partial_days AS (SELECT day, midnight, lo, hi FROM days WHERE hi - lo < interval '1 day'),
  -- Bookings starting on each day, by status.
  starts AS (
    SELECT t.day, t.status, t.started AS bookings
      FROM booking_day_tallies t, whole_days w
     WHERE t.day BETWEEN w.first AND w.last
    UNION ALL
    SELECT p.day, b.status, count(*)
      FROM partial_days p
      JOIN bookings b ON b.starts_at >= p.lo AND b.starts_at < p.hi
     GROUP BY 1, 2
  ),
  -- Hours of active bookings falling in each day, by category.
  booked AS (
    SELECT t.day, t.category_code AS category, t.booked_seconds::float8 / 3600 AS hours
      FROM booking_day_tallies t, whole_days w
     WHERE t.day BETWEEN w.first AND w.last AND t.status IN ${ACTIVE_STATUSES}
    UNION ALL
    -- The category as a subquery per booking: a join would read every instrument when the planner overestimates these few bookings.
    SELECT p.day, (SELECT i.category_code FROM instruments i WHERE i.id = b.instrument_id),
           sum(${hours('GREATEST(b.starts_at, p.lo)', 'LEAST(b.ends_at, p.hi)')})
      FROM partial_days p
      JOIN bookings b ON b.status IN ${ACTIVE_STATUSES} AND ${OVERLAPS('p.lo', 'p.hi')}
     GROUP BY 1, 2
  ),
  -- Hours of actual use (check-in to check-out) falling in each day, by category: what utilisation counts. The same
  -- bookings and clipping as the evaluation's effective machine hours, so the two agree.
  used AS (
    SELECT s.day, (SELECT i.category_code FROM instruments i WHERE i.id = b.instrument_id) AS category, sum(s.seconds)::float8 / 3600 AS hours
      FROM bookings b
     CROSS JOIN LATERAL booking_day_shares(GREATEST(b.actual_start, $1::timestamptz), LEAST(b.actual_end, $2::timestamptz)) AS s
     WHERE b.actual_end IS NOT NULL AND b.actual_start < $2 AND b.actual_end > $1
     GROUP BY 1, 2
  ),
  -- Opening hours of the instruments in service over the period: their daily hours on each whole day,
  -- and on a partial day the part of their hours inside the period.
  opening AS (
    SELECT t.category_code AS category,
           sum(t.instruments * (
             w.count * (t.open_to_hour - t.open_from_hour)
             + (SELECT coalesce(sum(GREATEST(0, ${hours(
                 `GREATEST(p.lo, (p.midnight + make_interval(hours => t.open_from_hour) - ${CHINA_UTC_OFFSET_SQL}) AT TIME ZONE 'UTC')`,
                 `LEAST(p.hi, (p.midnight + make_interval(hours => t.open_to_hour) - ${CHINA_UTC_OFFSET_SQL}) AT TIME ZONE 'UTC')`,
               )})), 0) FROM partial_days p)
           )) AS hours
      FROM instrument_tallies t, whole_days w
     WHERE t.status = 'IN_SERVICE' AND t.instruments <> 0
     GROUP BY 1
  ),
  -- Cards by stored status, with ACTIVE cards past their last day (UTC+8) moved to EXPIRED.
  cards AS (
    SELECT tier, status, cards FROM talent_card_tallies
    UNION ALL
    SELECT c.tier, s.status, s.sign * count(*)
      FROM talent_cards c CROSS JOIN (VALUES ('ACTIVE', -1), ('EXPIRED', 1)) AS s (status, sign)
     WHERE c.status = 'ACTIVE' AND c.valid_until < (($3::timestamptz AT TIME ZONE 'UTC') + ${CHINA_UTC_OFFSET_SQL})::date
     GROUP BY 1, 2, s.sign
  ),
  lab_counts AS (SELECT count(*) AS labs, count(*) FILTER (WHERE jointly_built) AS joint FROM labs WHERE retired_at IS NULL)
  SELECT json_build_object(
    'instruments', ${jsonRows(`
      SELECT c.code AS category, t.status, coalesce(sum(t.instruments), 0)::int AS count
        FROM instrument_categories c
        LEFT JOIN instrument_tallies t ON t.category_code = c.code AND t.instruments <> 0
       GROUP BY 1, 2`, 'r.category, r.status')},
    'bookingsByStatus', ${jsonRows('SELECT status, sum(bookings)::int AS count FROM starts GROUP BY 1 HAVING sum(bookings) <> 0', 'r.status')},
    'bookingsPerDay', ${jsonRows(`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(s.bookings, 0)::int AS "bookings", coalesce(k.hours, 0)::float8 AS "bookedHours",
             coalesce(u.hours, 0)::float8 AS "usedHours"
        FROM days d
        LEFT JOIN (SELECT day, sum(bookings) AS bookings FROM starts WHERE status IN ${ACTIVE_STATUSES} GROUP BY 1) s ON s.day = d.day
        LEFT JOIN (SELECT day, sum(hours) AS hours FROM booked GROUP BY 1) k ON k.day = d.day
        LEFT JOIN (SELECT day, sum(hours) AS hours FROM used GROUP BY 1) u ON u.day = d.day`, 'r.day')},
    'utilisation', ${jsonRows(`
      SELECT c.code AS category, coalesce(k.hours, 0)::float8 AS "bookedHours", coalesce(u.hours, 0)::float8 AS "usedHours",
             coalesce(o.hours, 0)::float8 AS "openHours"
        FROM instrument_categories c
        LEFT JOIN (SELECT category, sum(hours) AS hours FROM booked GROUP BY 1) k ON k.category = c.code
        LEFT JOIN (SELECT category, sum(hours) AS hours FROM used GROUP BY 1) u ON u.category = c.code
        LEFT JOIN opening o ON o.category = c.code`, 'r.category')},
    'talentCards', ${jsonRows('SELECT tier, status, sum(cards)::int AS count FROM cards GROUP BY 1, 2 HAVING sum(cards) <> 0', 'r.tier, r.status')},
    'recognitionsGranted', (SELECT count(*) FROM recognition_grants WHERE verified_at >= $1 AND verified_at < $2),
    'servicesDelivered', ${jsonRows('SELECT item_code AS item, count(*)::int AS count FROM service_deliveries WHERE delivered_at >= $1 AND delivered_at < $2 GROUP BY 1', 'r.item')},
    'serviceRequestsByStatus', ${jsonRows('SELECT status, count(*)::int AS count FROM service_requests WHERE created_at >= $1 AND created_at < $2 GROUP BY 1', 'r.status')},
    'turnaround', (
      SELECT json_build_object(
               'reportsIssued', count(*),
               'averageDays', avg(days)::float8,
               'medianDays', percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float8)
        FROM (SELECT extract(epoch FROM e.at - r.created_at)::float8 / 86400 AS days
                FROM service_request_events e JOIN service_requests r ON r.id = e.request_id
               WHERE e.status = 'REPORT_ISSUED' AND e.at >= $1 AND e.at < $2) AS issued),
    'incomeByKind', ${jsonRows(`
      SELECT c.offering_kind AS kind, sum(l.amount_fen)::text AS "amountFen"
        FROM charges c JOIN charge_lines l ON l.charge_id = c.id
       WHERE c.created_at >= $1 AND c.created_at < $2
       GROUP BY 1`, 'r.kind')},
    'labs', (SELECT labs FROM lab_counts),
    'jointLabs', (SELECT joint FROM lab_counts)
  ) AS stats, pg_current_snapshot()::text AS snapshot`;

/**
 * Dashboard figures in one statement, so they come from one snapshot and
 * agree with each other. The statement is named: pg prepares it once per
 * connection, and planning it costs about as much as running it.
 */
export class StatsRepository {
  private readonly statsRead: SnapshotCache<StatsRows>;

  constructor(private readonly dataSource: DataSource, observe: KeptReadObserver = uncountedKeptReads) {
    this.statsRead = SnapshotCache.ofPool(() => this.pool(), { observe: observe('stats') });
  }

  /**
   * A wall of dashboards asks for the same period again and again: the figures are kept until the database commits
   * anything (SnapshotCache). `now` counts only by its UTC+8 day (cards past their last day), so that day is in the key.
   */
  async read({ from, to }: StatsPeriod, now: Date): Promise<StatsRows> {
    return this.statsRead.read(`${from.toISOString()} ${to.toISOString()} ${chinaDay(now)}`, async () => {
      const { rows } = await this.pool().query<{ stats: StatsRows; snapshot: string }>({ name: 'province-stats', text: STATS, values: [from, to, now] });
      return { value: rows[0]!.stats, snapshot: rows[0]!.snapshot };
    });
  }

  private pool(): Pool {
    return poolOf(this.dataSource);
  }
}
