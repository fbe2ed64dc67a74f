import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { StatsPeriod } from './StatsRepository';

/** Sums of one row of the evaluation: an instrument, an owner institution, or the whole province (both keys null). */
export interface EvaluationSums {
  readonly instrumentId: string | null;
  readonly institution: string | null;
  readonly seconds: number;
  readonly externalSeconds: number;
  readonly otherProvinceSeconds: number;
  readonly uses: number;
  readonly users: number;
  readonly institutions: number;
  readonly noShows: number;
  readonly lateCancellations: number;
  readonly ratings: number;
  readonly ratingSum: number;
  readonly serviceRequests: number;
  readonly samples: number;
  /** Fen as a decimal string: a period's income may pass a GraphQL Int. */
  readonly incomeFen: string;
}

export interface EvaluatedInstrument {
  readonly id: string;
  readonly assetCode: string;
  readonly name: string;
  readonly nameZh: string;
  readonly model: string | null;
  readonly category: string;
  readonly institution: string;
  readonly status: string;
}

export interface EvaluationRows {
  readonly instruments: EvaluatedInstrument[];
  readonly sums: EvaluationSums[];
}

/**
 * Actual use clipped to the period [$1, $2) and the bookings starting in it, summed per instrument, per owner
 * institution and for the province in one pass (GROUPING SETS), so people and institutions served are counted once
 * at each level. External service is use by anyone but the owner institution's own people, as each booking recorded
 * its requester when it was made. Service is the requests whose report was issued in the period (and their samples);
 * income is every charge line written in the period (credits as negative lines), of a booking's instrument or of
 * the instrument of the requested offering. A lab's offering (no instrument) counts in the province's total only.
 */
const EVALUATION = `
  WITH used AS (
    SELECT b.instrument_id, i.institution, b.user_id, b.requester_category, b.requester_institution,
           extract(epoch FROM LEAST(b.actual_end, $2::timestamptz) - GREATEST(b.actual_start, $1::timestamptz))::float8 AS seconds
      FROM bookings b JOIN instruments i ON i.id = b.instrument_id
     WHERE b.actual_end IS NOT NULL AND b.actual_start < $2 AND b.actual_end > $1
  ),
  booked AS (
    SELECT b.instrument_id, i.institution, b.status, b.late_cancellation, r.score
      FROM bookings b JOIN instruments i ON i.id = b.instrument_id
      LEFT JOIN booking_ratings r ON r.booking_id = b.id
     WHERE b.starts_at >= $1 AND b.starts_at < $2 AND (b.status IN ('NO_SHOW', 'CANCELLED') OR r.score IS NOT NULL)
  ),
  use_sums AS (
    SELECT instrument_id, institution, grouping(instrument_id, institution) AS level,
           sum(seconds) AS seconds,
           coalesce(sum(seconds) FILTER (WHERE requester_category IS DISTINCT FROM 'OWN_INSTITUTION'), 0) AS external_seconds,
           coalesce(sum(seconds) FILTER (WHERE requester_category = 'OTHER_PROVINCE'), 0) AS other_province_seconds,
           count(*) AS uses, count(DISTINCT user_id) AS users, count(DISTINCT lower(requester_institution)) AS institutions
      FROM used GROUP BY GROUPING SETS ((instrument_id, institution), (institution), ())
  ),
  booked_sums AS (
    SELECT instrument_id, institution, grouping(instrument_id, institution) AS level,
           count(*) FILTER (WHERE status = 'NO_SHOW') AS no_shows,
           count(*) FILTER (WHERE status = 'CANCELLED' AND late_cancellation) AS late_cancellations,
           count(score) AS ratings, coalesce(sum(score), 0) AS rating_sum
      FROM booked GROUP BY GROUPING SETS ((instrument_id, institution), (institution), ())
  ),
  served AS (
    SELECT o.instrument_id, i.institution, r.id AS request_id, r.sample_count, 0::bigint AS amount_fen
      FROM service_requests r JOIN offerings o ON o.id = r.offering_id LEFT JOIN instruments i ON i.id = o.instrument_id
     WHERE EXISTS (SELECT 1 FROM service_request_events e WHERE e.request_id = r.id AND e.status = 'REPORT_ISSUED' AND e.at >= $1 AND e.at < $2)
    UNION ALL
    SELECT i.id, i.institution, NULL, 0, l.amount_fen
      FROM charge_lines l JOIN charges c ON c.id = l.charge_id
      LEFT JOIN bookings b ON b.id = c.booking_id
      LEFT JOIN service_requests r ON r.id = c.service_request_id LEFT JOIN offerings o ON o.id = r.offering_id
      LEFT JOIN instruments i ON i.id = coalesce(b.instrument_id, o.instrument_id)
     WHERE l.at >= $1 AND l.at < $2
  ),
  service_sums AS (
    SELECT instrument_id, institution, grouping(instrument_id, institution) AS level,
           count(request_id) AS service_requests, sum(sample_count) AS samples, sum(amount_fen) AS income_fen
      FROM served GROUP BY GROUPING SETS ((instrument_id, institution), (institution), ())
    HAVING grouping(instrument_id, institution) = 3 OR institution IS NOT NULL
  ),
  levels AS (
    SELECT level, instrument_id, institution FROM use_sums
    UNION SELECT level, instrument_id, institution FROM booked_sums
    UNION SELECT level, instrument_id, institution FROM service_sums
  ),
  sums AS (
    SELECT x.instrument_id AS "instrumentId", x.institution,
           coalesce(u.seconds, 0) AS seconds, coalesce(u.external_seconds, 0) AS "externalSeconds",
           coalesce(u.other_province_seconds, 0) AS "otherProvinceSeconds",
           coalesce(u.uses, 0)::int AS uses, coalesce(u.users, 0)::int AS users, coalesce(u.institutions, 0)::int AS institutions,
           coalesce(k.no_shows, 0)::int AS "noShows", coalesce(k.late_cancellations, 0)::int AS "lateCancellations",
           coalesce(k.ratings, 0)::int AS ratings, coalesce(k.rating_sum, 0)::int AS "ratingSum",
           coalesce(s.service_requests, 0)::int AS "serviceRequests", coalesce(s.samples, 0)::int AS samples,
           coalesce(s.income_fen, 0)::text AS "incomeFen"
      FROM levels x
      LEFT JOIN use_sums u ON u.level = x.level AND u.instrument_id IS NOT DISTINCT FROM x.instrument_id AND u.institution IS NOT DISTINCT FROM x.institution
      LEFT JOIN booked_sums k ON k.level = x.level AND k.instrument_id IS NOT DISTINCT FROM x.instrument_id AND k.institution IS NOT DISTINCT FROM x.institution
      LEFT JOIN service_sums s ON s.level = x.level AND s.instrument_id IS NOT DISTINCT FROM x.instrument_id AND s.institution IS NOT DISTINCT FROM x.institution
  )
  SELECT json_build_object(
    'instruments', (SELECT coalesce(json_agg(r ORDER BY r.institution, r.name, r.id), '[]') FROM (
      SELECT i.id, i.asset_code AS "assetCode", i.name, i.name_zh AS "nameZh", i.model, i.category_code AS category, i.institution, i.status
        FROM instruments i
       WHERE i.status <> 'RETIRED' OR i.id IN (SELECT "instrumentId" FROM sums WHERE "instrumentId" IS NOT NULL)) AS r),
    'sums', (SELECT coalesce(json_agg(s), '[]') FROM sums s)
  ) AS evaluation`;

/** The evaluation's figures in one statement, so every level comes from one snapshot and they add up. */
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async read({ from, to }: StatsPeriod): Promise<EvaluationRows> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{ evaluation: EvaluationRows }>({ name: 'province-evaluation', text: EVALUATION, values: [from, to] });
    return rows[0]!.evaluation;
  }
}
