import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from '../../../../shared/src';
import { SnapshotCache, uncountedKeptReads, type KeptReadObserver } from '../persistence/SnapshotCache';
import type { StatsPeriod } from './StatsRepository';

/** Sums of one row of the evaluation: an instrument, an owner institution, or the whole province. */
export interface EvaluationSums {
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

/** The order of the instruments' pages, and a page's position in it. */
export interface EvaluationPosition {
  readonly institution: string;
  readonly name: string;
  readonly id: string;
}

export interface EvaluatedInstrument extends EvaluationPosition {
  readonly assetCode: string;
  readonly nameZh: string;
  readonly model: string | null;
  readonly category: string;
  readonly status: string;
  readonly sums: EvaluationSums;
}

export interface EvaluationTotals {
  /** Instruments in the report: every one not retired, and retired ones with figures in the period. */
  readonly instruments: number;
  /** By owner institution, alphabetically, with its instruments in the report. */
  readonly institutions: { readonly institution: string; readonly instruments: number; readonly sums: EvaluationSums }[];
  readonly total: EvaluationSums;
}

/*
 * The activity of a period [$1, $2), as rows of the instruments in `scope` (a relation with `id` and `institution`):
 * actual use clipped to the period, bookings starting in it, service requests whose report was issued in it with
 * their samples, and every charge line written in it (credits as negative lines), of a booking's instrument or of the
 * instrument of the requested offering. With `labOfferings`, service and income of a lab's offering (no instrument)
 * come too, with a null instrument: they count in the province's total only.
 */
function activity(scope: string, { labOfferings }: { labOfferings: boolean }): string {
  const instrumentOfOffering = `${labOfferings ? 'LEFT JOIN' : 'JOIN'} ${scope} i ON i.id = o.instrument_id`;
  return `
  used AS (
    SELECT b.instrument_id, i.institution, b.user_id, b.requester_category, b.requester_institution,
           extract(epoch FROM LEAST(b.actual_end, $2::timestamptz) - GREATEST(b.actual_start, $1::timestamptz))::float8 AS seconds
      FROM bookings b JOIN ${scope} i ON i.id = b.instrument_id
     WHERE b.actual_end IS NOT NULL AND b.actual_start < $2 AND b.actual_end > $1
  ),
  booked AS (
    SELECT b.instrument_id, i.institution, b.status, b.late_cancellation, r.score
      FROM bookings b JOIN ${scope} i ON i.id = b.instrument_id
      LEFT JOIN booking_ratings r ON r.booking_id = b.id
     WHERE b.starts_at >= $1 AND b.starts_at < $2 AND (b.status IN ('NO_SHOW', 'CANCELLED') OR r.score IS NOT NULL)
  ),
  served AS (
    SELECT o.instrument_id, i.institution, r.id AS request_id, r.sample_count, 0::bigint AS amount_fen
      FROM service_requests r JOIN offerings o ON o.id = r.offering_id ${instrumentOfOffering}
     WHERE EXISTS (SELECT 1 FROM service_request_events e WHERE e.request_id = r.id AND e.status = 'REPORT_ISSUED' AND e.at >= $1 AND e.at < $2)
    UNION ALL
    SELECT i.id, i.institution, NULL, 0, l.amount_fen
      FROM charge_lines l JOIN charges c ON c.id = l.charge_id JOIN bookings b ON b.id = c.booking_id JOIN ${scope} i ON i.id = b.instrument_id
     WHERE l.at >= $1 AND l.at < $2
    UNION ALL
    SELECT o.instrument_id, i.institution, NULL, 0, l.amount_fen
      FROM charge_lines l JOIN charges c ON c.id = l.charge_id JOIN service_requests r ON r.id = c.service_request_id
      JOIN offerings o ON o.id = r.offering_id ${instrumentOfOffering}
     WHERE l.at >= $1 AND l.at < $2
  )`;
}

/** The figures of a group of `used`, `booked` and `served` rows (external service: anyone but the owner institution's own people). */
const USE_SUMS = `sum(seconds) AS seconds,
           coalesce(sum(seconds) FILTER (WHERE requester_category IS DISTINCT FROM 'OWN_INSTITUTION'), 0) AS external_seconds,
           coalesce(sum(seconds) FILTER (WHERE requester_category = 'OTHER_PROVINCE'), 0) AS other_province_seconds,
           count(*) AS uses, count(DISTINCT user_id) AS users, count(DISTINCT lower(requester_institution)) AS institutions`;
const BOOKED_SUMS = `count(*) FILTER (WHERE status = 'NO_SHOW') AS no_shows,
           count(*) FILTER (WHERE status = 'CANCELLED' AND late_cancellation) AS late_cancellations,
           count(score) AS ratings, coalesce(sum(score), 0) AS rating_sum`;
const SERVICE_SUMS = 'count(request_id) AS service_requests, sum(sample_count) AS samples, sum(amount_fen) AS income_fen';

/** `EvaluationSums` as JSON from the sums `u` (use), `k` (booked) and `s` (service) of one row, zero where none. */
const SUMS_JSON = `json_build_object(
      'seconds', coalesce(u.seconds, 0), 'externalSeconds', coalesce(u.external_seconds, 0), 'otherProvinceSeconds', coalesce(u.other_province_seconds, 0),
      'uses', coalesce(u.uses, 0), 'users', coalesce(u.users, 0), 'institutions', coalesce(u.institutions, 0),
      'noShows', coalesce(k.no_shows, 0), 'lateCancellations', coalesce(k.late_cancellations, 0),
      'ratings', coalesce(k.ratings, 0), 'ratingSum', coalesce(k.rating_sum, 0),
      'serviceRequests', coalesce(s.service_requests, 0), 'samples', coalesce(s.samples, 0), 'incomeFen', coalesce(s.income_fen, 0)::text)`;

/**
 * Which instruments the report lists: every one not retired, and a retired one only with activity in the period
 * (the same rows `activity` reads), so a page's rows and the totals' instrument counts agree.
 */
const LISTED = `(i.status <> 'RETIRED'
    OR EXISTS (SELECT 1 FROM bookings b WHERE b.instrument_id = i.id AND (
         (b.actual_end IS NOT NULL AND b.actual_start < $2 AND b.actual_end > $1)
         OR (b.starts_at >= $1 AND b.starts_at < $2 AND (b.status IN ('NO_SHOW', 'CANCELLED') OR EXISTS (SELECT 1 FROM booking_ratings g WHERE g.booking_id = b.id)))
         OR EXISTS (SELECT 1 FROM charges c JOIN charge_lines l ON l.charge_id = c.id WHERE c.booking_id = b.id AND l.at >= $1 AND l.at < $2)))
    OR EXISTS (SELECT 1 FROM offerings o JOIN service_requests r ON r.offering_id = o.id WHERE o.instrument_id = i.id AND (
         EXISTS (SELECT 1 FROM service_request_events e WHERE e.request_id = r.id AND e.status = 'REPORT_ISSUED' AND e.at >= $1 AND e.at < $2)
         OR EXISTS (SELECT 1 FROM charges c JOIN charge_lines l ON l.charge_id = c.id WHERE c.service_request_id = r.id AND l.at >= $1 AND l.at < $2))))`;

/**
 * One page of instruments after a position (by owner institution, then name, then id: the index
 * `instruments_institution_name_idx`), with each one's figures: the page is chosen first, and only its
 * instruments' activity is read and summed. Every row carries the snapshot the statement read under.
 */
const PAGE = `
  WITH page AS (
    SELECT i.id, i.asset_code, i.name, i.name_zh, i.model, i.category_code, i.institution, i.status
      FROM instruments i
     WHERE ${LISTED}
       AND ($3::varchar IS NULL OR (i.institution, i.name, i.id) > ($3::varchar, $4::varchar, $5::uuid))
     ORDER BY i.institution, i.name, i.id
     LIMIT $6
  ),
  ${activity('page', { labOfferings: false })},
  use_sums AS (SELECT instrument_id, ${USE_SUMS} FROM used GROUP BY instrument_id),
  booked_sums AS (SELECT instrument_id, ${BOOKED_SUMS} FROM booked GROUP BY instrument_id),
  service_sums AS (SELECT instrument_id, ${SERVICE_SUMS} FROM served GROUP BY instrument_id)
  SELECT p.id, p.asset_code AS "assetCode", p.name, p.name_zh AS "nameZh", p.model, p.category_code AS category, p.institution, p.status,
         ${SUMS_JSON} AS sums, pg_current_snapshot()::text AS snapshot
    FROM page p
    LEFT JOIN use_sums u ON u.instrument_id = p.id
    LEFT JOIN booked_sums k ON k.instrument_id = p.id
    LEFT JOIN service_sums s ON s.instrument_id = p.id
   ORDER BY p.institution, p.name, p.id`;

/**
 * Per owner institution and for the province in one pass (GROUPING SETS), so people and institutions served are
 * counted once at each level, and the instruments each lists; no instrument's own row is built.
 */
const TOTALS = `
  WITH ${activity('instruments', { labOfferings: true })},
  listed AS (
    SELECT grouping(i.institution) AS level, i.institution, count(*) AS instruments
      FROM instruments i WHERE ${LISTED} GROUP BY GROUPING SETS ((i.institution), ())
  ),
  use_sums AS (SELECT institution, grouping(institution) AS level, ${USE_SUMS} FROM used GROUP BY GROUPING SETS ((institution), ())),
  booked_sums AS (SELECT institution, grouping(institution) AS level, ${BOOKED_SUMS} FROM booked GROUP BY GROUPING SETS ((institution), ())),
  service_sums AS (
    SELECT institution, grouping(institution) AS level, ${SERVICE_SUMS} FROM served GROUP BY GROUPING SETS ((institution), ())
    HAVING grouping(institution) = 1 OR institution IS NOT NULL
  ),
  rows AS (
    SELECT x.level, x.institution, x.instruments, ${SUMS_JSON} AS sums
      FROM listed x
      LEFT JOIN use_sums u ON u.level = x.level AND u.institution IS NOT DISTINCT FROM x.institution
      LEFT JOIN booked_sums k ON k.level = x.level AND k.institution IS NOT DISTINCT FROM x.institution
      LEFT JOIN service_sums s ON s.level = x.level AND s.institution IS NOT DISTINCT FROM x.institution
  )
  SELECT json_build_object(
    'instruments', (SELECT instruments FROM rows WHERE level = 1),
    'institutions', (SELECT coalesce(json_agg(json_build_object('institution', institution, 'instruments', instruments, 'sums', sums) ORDER BY institution), '[]')
                       FROM rows WHERE level = 0),
    -- The empty grouping set gives its row even when no instrument is listed.
    'total', (SELECT sums FROM rows WHERE level = 1)
  ) AS totals, pg_current_snapshot()::text AS snapshot`;

/** The evaluation's figures, read by set-based statements: a page of instruments, or the institutions' and province's totals. */
export class EvaluationRepository {
  private readonly totalsRead: SnapshotCache<EvaluationTotals>;
  private readonly pageRead: SnapshotCache<EvaluatedInstrument[]>;

  constructor(private readonly dataSource: DataSource, observe: KeptReadObserver = uncountedKeptReads) {
    this.totalsRead = SnapshotCache.ofPool(() => this.pool(), { observe: observe('evaluation_totals') });
    this.pageRead = SnapshotCache.ofPool(() => this.pool(), { capacity: 64, observe: observe('evaluation_page') });
  }

  /**
   * At most `limit` instruments after `after`, in the report's order, with their figures: one statement, its result
   * kept until the database commits anything (SnapshotCache), as partner systems and the export ask page after page.
   */
  async page({ from, to }: StatsPeriod, after: EvaluationPosition | null, limit: number): Promise<EvaluatedInstrument[]> {
    const key = JSON.stringify([from.toISOString(), to.toISOString(), after?.institution ?? null, after?.name ?? null, after?.id ?? null, limit]);
    return this.pageRead.read(key, async () => {
      const { rows } = await this.pool().query<EvaluatedInstrument & { snapshot: string }>({
        name: 'province-evaluation-page',
        text: PAGE,
        values: [from, to, after?.institution ?? null, after?.name ?? null, after?.id ?? null, limit],
      });
      return { value: rows.map(({ snapshot: _snapshot, ...row }) => row), snapshot: rows[0]?.snapshot };
    });
  }

  /**
   * Per institution and for the province, and how many instruments each lists: one statement, one snapshot. The
   * totals of a year read every use in it, so they are kept until the database commits anything (SnapshotCache).
   */
  async totals({ from, to }: StatsPeriod): Promise<EvaluationTotals> {
    return this.totalsRead.read(`${from.toISOString()} ${to.toISOString()}`, async () => {
      const { rows } = await this.pool().query<{ totals: EvaluationTotals; snapshot: string }>({ name: 'province-evaluation-totals', text: TOTALS, values: [from, to] });
      return { value: rows[0]!.totals, snapshot: rows[0]!.snapshot };
    });
  }

  private pool(): Pool {
    return poolOf(this.dataSource);
  }
}
