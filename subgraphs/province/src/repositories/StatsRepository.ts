import type { DataSource, EntityManager } from 'typeorm';

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
  readonly bookingsPerDay: { day: string; bookings: number; bookedHours: number }[];
  /** Every category. */
  readonly utilisation: { category: string; bookedHours: number; openHours: number }[];
  /** Cards per tier and effective status (ACTIVE past its last day counts as EXPIRED). */
  readonly talentCards: { tier: string; status: string; count: number }[];
  readonly recognitionsGranted: number;
  readonly labs: number;
  readonly jointLabs: number;
}

/** Bookings that take an instrument's time (rejected and cancelled ones do not). */
const ACTIVE_BOOKING = "b.status IN ('REQUESTED', 'CONFIRMED', 'COMPLETED')";

/**
 * The calendar days (UTC+8) that the period $1..$2 touches: `midnight` is the
 * day's start as a local timestamp, [lo, hi) the part of the day inside the
 * period. UTC+8 is written as an offset, not a zone name, so no tz database
 * is needed (and China has no daylight saving time).
 */
const DAYS = `
  days AS (
    SELECT midnight::date AS day,
           midnight,
           GREATEST((midnight - interval '8 hours') AT TIME ZONE 'UTC', $1::timestamptz) AS lo,
           LEAST((midnight + interval '16 hours') AT TIME ZONE 'UTC', $2::timestamptz) AS hi
      FROM generate_series(
             date_trunc('day', ($1::timestamptz AT TIME ZONE 'UTC') + interval '8 hours'),
             ($2::timestamptz AT TIME ZONE 'UTC') + interval '8 hours' - interval '1 microsecond',
             interval '1 day') AS midnight
  )`;

/**
 * Booking b's period [starts_at, ends_at) overlaps [from, to): written as a range
 * overlap so the partial GiST index on active bookings' periods answers it.
 */
const OVERLAPS = (from: string, to: string) => `tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(${from}, ${to}, '[)')`;

/** Hours between two timestamptz expressions, as float8 (pg returns numeric as text). */
const hours = (from: string, to: string) => `extract(epoch FROM (${to}) - (${from}))::float8 / 3600`;

/**
 * Dashboard figures in a fixed number of aggregate statements (six, whatever
 * the data size), all read from one snapshot so they agree with each other.
 */
export class StatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  read(period: StatsPeriod, now: Date): Promise<StatsRows> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      instruments: await this.instruments(manager),
      bookingsByStatus: await this.bookingsByStatus(manager, period),
      bookingsPerDay: await this.bookingsPerDay(manager, period),
      utilisation: await this.utilisation(manager, period),
      talentCards: await this.talentCards(manager, now),
      ...(await this.counts(manager, period)),
    }));
  }

  private instruments(manager: EntityManager): Promise<StatsRows['instruments']> {
    return manager.query(`
      SELECT c.code AS category, i.status, count(i.id)::int AS count
        FROM instrument_categories c
        LEFT JOIN instruments i ON i.category_code = c.code
       GROUP BY c.code, i.status
       ORDER BY c.code, i.status`);
  }

  private bookingsByStatus(manager: EntityManager, { from, to }: StatsPeriod): Promise<StatsRows['bookingsByStatus']> {
    return manager.query(
      `SELECT status, count(*)::int AS count FROM bookings WHERE starts_at >= $1 AND starts_at < $2 GROUP BY status ORDER BY status`,
      [from, to],
    );
  }

  /** Per day: active bookings starting that day, and the hours of active bookings that fall in that day (clipped). */
  private bookingsPerDay(manager: EntityManager, { from, to }: StatsPeriod): Promise<StatsRows['bookingsPerDay']> {
    return manager.query(
      `WITH ${DAYS}
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              (count(b.id) FILTER (WHERE b.starts_at >= d.lo AND b.starts_at < d.hi))::int AS "bookings",
              -- FILTER, not only coalesce: LEAST and GREATEST skip NULLs, so a day without bookings would count as fully booked.
              coalesce(sum(${hours('GREATEST(b.starts_at, d.lo)', 'LEAST(b.ends_at, d.hi)')}) FILTER (WHERE b.id IS NOT NULL), 0)::float8 AS "bookedHours"
         FROM days d
         LEFT JOIN bookings b ON ${ACTIVE_BOOKING} AND ${OVERLAPS('d.lo', 'd.hi')}
        GROUP BY d.day
        ORDER BY d.day`,
      [from, to],
    );
  }

  /**
   * Per category: hours of active bookings inside the period, and the
   * opening hours (each instrument's own) of its instruments in service on
   * every day of the period, also clipped to the period.
   */
  private utilisation(manager: EntityManager, { from, to }: StatsPeriod): Promise<StatsRows['utilisation']> {
    const opensAt = `(d.midnight + make_interval(hours => g.open_from_hour) - interval '8 hours') AT TIME ZONE 'UTC'`;
    const closesAt = `(d.midnight + make_interval(hours => g.open_to_hour) - interval '8 hours') AT TIME ZONE 'UTC'`;
    return manager.query(
      `WITH ${DAYS},
       booked AS (
         SELECT i.category_code AS category, sum(${hours('GREATEST(b.starts_at, $1::timestamptz)', 'LEAST(b.ends_at, $2::timestamptz)')}) AS hours
           FROM bookings b
           JOIN instruments i ON i.id = b.instrument_id
          WHERE ${ACTIVE_BOOKING} AND ${OVERLAPS('$1::timestamptz', '$2::timestamptz')}
          GROUP BY i.category_code
       ),
       -- Instruments in service grouped by opening hours first: a few hundred groups, not every instrument, meet every day.
       opening_groups AS (
         SELECT category_code AS category, open_from_hour, open_to_hour, count(*) AS instruments
           FROM instruments
          WHERE status = 'IN_SERVICE'
          GROUP BY 1, 2, 3
       ),
       opening AS (
         SELECT g.category, sum(g.instruments * GREATEST(0, ${hours(`GREATEST(d.lo, ${opensAt})`, `LEAST(d.hi, ${closesAt})`)})) AS hours
           FROM opening_groups g
          CROSS JOIN days d
          GROUP BY g.category
       )
       SELECT c.code AS category, coalesce(b.hours, 0)::float8 AS "bookedHours", coalesce(o.hours, 0)::float8 AS "openHours"
         FROM instrument_categories c
         LEFT JOIN booked b ON b.category = c.code
         LEFT JOIN opening o ON o.category = c.code
        ORDER BY c.code`,
      [from, to],
    );
  }

  /** A card is valid through its last day in UTC+8, as `isCardValid` says. */
  private talentCards(manager: EntityManager, now: Date): Promise<StatsRows['talentCards']> {
    return manager.query(
      `SELECT tier,
              CASE WHEN status = 'ACTIVE' AND valid_until < (($1::timestamptz AT TIME ZONE 'UTC') + interval '8 hours')::date
                   THEN 'EXPIRED' ELSE status END AS status,
              count(*)::int AS count
         FROM talent_cards
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [now],
    );
  }

  private async counts(manager: EntityManager, { from, to }: StatsPeriod) {
    const [row] = (await manager.query(
      `SELECT (SELECT count(*) FROM recognition_grants WHERE verified_at >= $1 AND verified_at < $2)::int AS "recognitionsGranted",
              (SELECT count(*) FROM labs WHERE retired_at IS NULL)::int AS "labs",
              (SELECT count(*) FROM labs WHERE retired_at IS NULL AND jointly_built)::int AS "jointLabs"`,
      [from, to],
    )) as { recognitionsGranted: number; labs: number; jointLabs: number }[];
    return row!;
  }
}
