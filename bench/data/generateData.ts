import { Client } from 'pg';
import { PROVINCES, PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';
import { INSTRUMENT_CATEGORIES } from '../../subgraphs/province/src';
import { namespace } from './generatedIds';
import { CATEGORY_WORDS, FIELDS, GIVEN_NAMES, PROVINCE_WORDS, PURPOSES, SURNAMES } from './vocabulary';

/** Rows per province. */
export interface Scale {
  readonly labs: number;
  readonly instruments: number;
  readonly talentCards: number;
  readonly bookings: number;
}

export interface GenerateOptions {
  /** Same seed, same rows: every value is derived from md5(seed, province, table, row number). */
  readonly seed: string;
  /** UTC day the booking history is laid around (300 days before it to 59 after). */
  readonly anchorDay: string;
  /**
   * When the generated history ends: bookings that started before it were used (completed) or cancelled or
   * rejected; later ones are requested, confirmed or cancelled. The moment of generating: a confirmed booking whose
   * start had passed would become a no-show at the province's first sweep, and the sweep's events and mail would
   * land in the middle of a measured run.
   */
  readonly historyEnds: Date;
  /** Partner instruments a joint lab may point at are drawn from the partner's first this-many. */
  readonly partnerReferenceSpan: number;
}

/** Bench rows are told apart from the demo registry by these prefixes. */
export const BENCH_PREFIX = { instrument: 'BENCH-I-', lab: 'BENCH-L-', booking: 'bench-' } as const;

const HISTORY_DAYS_BEFORE = 300;
const HISTORY_DAYS = 360;
/** Generated bookings end this many days after the anchor; the booking scenario uses later days, so it never collides. */
export const HISTORY_DAYS_AFTER = HISTORY_DAYS - HISTORY_DAYS_BEFORE;
const BENCH_USERS = 5_000;

/**
 * Fills one province's database up to `scale` with set-based SQL
 * (`INSERT … SELECT generate_series`), connected as that province's own role:
 * ownership stays physical. Rows already there are kept, so calling it again
 * with a larger scale only adds the difference (bookings are laid out once, for the instruments
 * there are then). Check constraints hold, and
 * no two requested or confirmed bookings of an instrument overlap: row n of
 * the booking grid goes to instrument n mod I in its own window of days.
 */
export async function generateProvinceData(databaseUrl: string, province: ProvinceKey, scale: Scale, options: GenerateOptions): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'shuangcheng-bench' });
  await client.connect();
  try {
    const ns = namespace(options.seed, province);
    const words = PROVINCE_WORDS[province];
    const partner = PROVINCES[province].partner;
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);

    // Categories come with the demo registry; make sure of them anyway, the instruments refer to them.
    await client.query(
      `INSERT INTO instrument_categories (code, name_en, name_zh)
       SELECT c->>'code', c->>'nameEn', c->>'nameZh' FROM jsonb_array_elements($1::jsonb) AS c ON CONFLICT DO NOTHING`,
      [JSON.stringify(INSTRUMENT_CATEGORIES)],
    );

    const labsHave = await count(`SELECT count(*) AS n FROM labs WHERE code LIKE '${BENCH_PREFIX.lab}%'`);
    if (labsHave < scale.labs) {
      await client.query(
        `WITH r AS (SELECT n, decode(md5($1 || ':lab:' || n), 'hex') AS h FROM generate_series($2::int, $3::int) AS n),
              t AS (SELECT r.*, $4::text[] AS topics_en, $5::text[] AS topics_zh, get_byte(h, 4) < 13 AS joint FROM r)
         INSERT INTO labs (id, code, name, name_zh, institution, city, level, jointly_built, partner_province, partner_institutions, description)
         SELECT md5($1 || ':lab:' || n)::uuid,
                '${BENCH_PREFIX.lab}' || lpad(n::text, 6, '0'),
                'Key Laboratory of ' || topics_en[1 + get_byte(h, 0) % array_length(topics_en, 1)] || ' No. ' || n,
                topics_zh[1 + get_byte(h, 0) % array_length(topics_zh, 1)] || '重点实验室' || n || '号',
                ($6::text[])[1 + get_byte(h, 1) % array_length($6::text[], 1)],
                ($7::text[])[1 + get_byte(h, 2) % array_length($7::text[], 1)],
                CASE WHEN get_byte(h, 3) < 26 THEN 'NATIONAL' ELSE 'PROVINCIAL' END,
                joint,
                CASE WHEN joint THEN $8 END,
                CASE WHEN joint THEN ARRAY[($9::text[])[1 + get_byte(h, 5) % array_length($9::text[], 1)]] ELSE '{}'::text[] END,
                'Generated for the benchmark.'
         FROM t ON CONFLICT DO NOTHING`,
        [
          ns, labsHave + 1, scale.labs,
          words.labTopics.map(([en]) => en), words.labTopics.map(([, zh]) => zh),
          words.institutions, words.cities, partner, PROVINCE_WORDS[partner].institutions,
        ],
      );
      // Eight partner instruments per joint lab, as global ids the partner answers for.
      await client.query(
        `INSERT INTO lab_partner_instruments (lab_id, partner_instrument_id, position)
         SELECT l.id, $2 || ':instrument:' || md5($3 || ':instrument:' || (1 + (m * 37 + p * 101) % $4))::uuid, p
         FROM (SELECT id, substring(code FROM ${BENCH_PREFIX.lab.length + 1})::int AS m FROM labs
               WHERE code LIKE '${BENCH_PREFIX.lab}%' AND jointly_built AND substring(code FROM ${BENCH_PREFIX.lab.length + 1})::int >= $1) AS l,
              generate_series(0, 7) AS p
         ON CONFLICT DO NOTHING`,
        [labsHave + 1, PROVINCES[partner].idPrefix, namespace(options.seed, partner), options.partnerReferenceSpan],
      );
    }

    const instrumentsHave = await count(`SELECT count(*) AS n FROM instruments WHERE asset_code LIKE '${BENCH_PREFIX.instrument}%'`);
    if (instrumentsHave < scale.instruments) {
      await client.query(
        `WITH vocab AS (
           SELECT (ord - 1)::int AS idx, c->>'code' AS code, c->'names' AS names, c->'models' AS models
           FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS v(c, ord)),
         r AS (SELECT n, decode(md5($1 || ':instrument:' || n), 'hex') AS h FROM generate_series($2::int, $3::int) AS n),
         x AS (
           SELECT r.n, r.h, v.code,
                  v.names -> (get_byte(r.h, 1) % jsonb_array_length(v.names)) AS nm,
                  v.models -> (get_byte(r.h, 2) % jsonb_array_length(v.models)) AS md,
                  ($5::text[])[1 + get_byte(r.h, 3) % array_length($5::text[], 1)] AS institution
           FROM r JOIN vocab v ON v.idx = get_byte(r.h, 0) % $7)
         INSERT INTO instruments (id, asset_code, name, name_zh, category_code, model, manufacturer, institution, lab_id, location, status,
                                  open_for_sharing, hourly_fee, services, open_from_hour, open_to_hour, description,
                                  min_booking_minutes, max_booking_minutes)
         SELECT md5($1 || ':instrument:' || n)::uuid,
                '${BENCH_PREFIX.instrument}' || lpad(n::text, 7, '0'),
                nm->>0, nm->>1, code, md->>1, md->>0, institution,
                CASE WHEN get_byte(h, 4) < 217 AND $6 > 0 THEN md5($1 || ':lab:' || (1 + n % GREATEST($6, 1)))::uuid END,
                'Room ' || (100 + get_byte(h, 5)) || ', ' || institution,
                CASE WHEN get_byte(h, 6) < 5 THEN 'RETIRED' WHEN get_byte(h, 6) < 26 THEN 'MAINTENANCE' ELSE 'IN_SERVICE' END,
                get_byte(h, 7) >= 26,
                (50 + (get_byte(h, 8) * 256 + get_byte(h, 9)) % 1950)::numeric(10, 2),
                CASE get_byte(h, 14) % 4 WHEN 0 THEN ARRAY['TESTING'] WHEN 1 THEN ARRAY['TESTING', 'RND']
                                         WHEN 2 THEN ARRAY['TESTING', 'CONSULTATION'] ELSE ARRAY['TESTING', 'RND', 'CONSULTATION'] END,
                8 + get_byte(h, 10) % 2,
                17 + get_byte(h, 11) % 6,
                NULL,
                CASE WHEN get_byte(h, 12) % 2 = 0 THEN 30 ELSE 60 END,
                CASE WHEN get_byte(h, 13) % 2 = 0 THEN 240 ELSE 480 END
         -- In id order: the id indexes (and each (…, name, id) index within a name) are then filled front to back
         -- instead of at random places, which keeps 1,000,000 rows from thrashing the buffer cache.
         FROM x ORDER BY 1 ON CONFLICT DO NOTHING`,
        [ns, instrumentsHave + 1, scale.instruments, JSON.stringify(CATEGORY_WORDS), words.institutions, scale.labs, CATEGORY_WORDS.length],
      );
    }

    const cardsHave = await count(`SELECT count(*) AS n FROM talent_cards WHERE card_number ~ '-1[0-9]{5}$'`);
    if (cardsHave < scale.talentCards) {
      // Numbers 100001… stay clear of the demo cards (below 100000) and of newly issued ones (700001…).
      await client.query(
        `WITH r AS (SELECT n, decode(md5($1 || ':card:' || n), 'hex') AS h FROM generate_series($2::int, $3::int) AS n),
         c AS (SELECT r.*, ($4::date - (get_byte(h, 2) * 8 + get_byte(h, 3) % 8)) AS issued,
                      CASE WHEN get_byte(h, 9) % 2 = 0 THEN 3 ELSE 5 END AS years FROM r)
         INSERT INTO talent_cards (id, card_number, tier, holder_user_id, holder_name, field, employer, issued_on, valid_until, status, revoked_reason)
         SELECT md5($1 || ':card:' || n)::uuid,
                $5 || '-' || extract(year FROM issued)::int || '-' || (100000 + n),
                chr(65 + get_byte(h, 1) % 4),
                NULL,
                ($6::text[])[1 + get_byte(h, 4) % array_length($6::text[], 1)] || ' ' || ($7::text[])[1 + get_byte(h, 5) % array_length($7::text[], 1)],
                ($8::text[])[1 + get_byte(h, 6) % array_length($8::text[], 1)],
                ($9::text[])[1 + get_byte(h, 7) % array_length($9::text[], 1)],
                issued,
                (issued + make_interval(years => years))::date,
                CASE WHEN (issued + make_interval(years => years))::date < $4::date THEN 'EXPIRED'
                     WHEN get_byte(h, 8) < 5 THEN 'REVOKED' ELSE 'ACTIVE' END,
                CASE WHEN (issued + make_interval(years => years))::date >= $4::date AND get_byte(h, 8) < 5 THEN 'Left the province' END
         FROM c ON CONFLICT DO NOTHING`,
        [ns, cardsHave + 1, scale.talentCards, options.anchorDay, PROVINCES[province].cardNumberPrefix, SURNAMES, GIVEN_NAMES, FIELDS, words.institutions],
      );
    }

    const bookingsHave = await count(`SELECT count(*) AS n FROM bookings WHERE idempotency_key LIKE '${BENCH_PREFIX.booking}%'`);
    if (bookingsHave < scale.bookings) {
      // The stats triggers join the new bookings to their instruments: without fresh statistics on the
      // instruments just loaded, the planner may take a few rows for 50,000 and join them row by row.
      await client.query('ANALYZE instruments');
      const instruments = await count(`SELECT count(*) AS n FROM instruments WHERE asset_code LIKE '${BENCH_PREFIX.instrument}%'`);
      if (instruments === 0) throw new Error('bookings need instruments: generate instruments first');
      const perInstrument = Math.ceil(scale.bookings / instruments);
      if (perInstrument > HISTORY_DAYS) throw new Error(`${scale.bookings} bookings over ${instruments} instruments is more than one a day`);
      const windowDays = Math.floor(HISTORY_DAYS / perInstrument);
      await client.query(
        `WITH r AS (
           SELECT n, decode(md5($1 || ':booking:' || n), 'hex') AS h, 1 + (n - 1) % $4 AS i, (n - 1) / $4 AS k
           FROM generate_series($2::int, $3::int) AS n),
         s AS (
           SELECT r.n, r.h, ins.id AS instrument_id,
                  (($6::date + (-${HISTORY_DAYS_BEFORE} + r.k * $5 + (get_byte(r.h, 0) * 256 + get_byte(r.h, 1)) % $5))::timestamp
                    + make_interval(hours => ins.open_from_hour + get_byte(r.h, 2) % 4) - interval '8 hours') AT TIME ZONE 'UTC' AS starts_at,
                  60 * (1 + get_byte(r.h, 3) % 4) AS minutes
           FROM r JOIN instruments ins ON ins.id = md5($1 || ':instrument:' || r.i)::uuid),
         b AS (
           INSERT INTO bookings (id, instrument_id, user_id, starts_at, ends_at, status, purpose, idempotency_key, created_at, updated_at,
                                 requester_category, actual_start, actual_end)
           SELECT md5($1 || ':booking:' || n)::uuid, instrument_id,
                  md5('bench-user:' || ((get_byte(h, 5) * 256 + get_byte(h, 6)) % ${BENCH_USERS}))::uuid,
                  starts_at, starts_at + make_interval(mins => minutes),
                  CASE WHEN starts_at < $7::timestamptz
                       THEN CASE WHEN get_byte(h, 4) < 204 THEN 'COMPLETED' WHEN get_byte(h, 4) < 230 THEN 'CANCELLED' ELSE 'REJECTED' END
                       ELSE CASE WHEN get_byte(h, 4) < 128 THEN 'REQUESTED' WHEN get_byte(h, 4) < 230 THEN 'CONFIRMED' ELSE 'CANCELLED' END END,
                  ($8::text[])[1 + get_byte(h, 7) % array_length($8::text[], 1)],
                  '${BENCH_PREFIX.booking}' || n,
                  LEAST(starts_at - make_interval(days => 1 + get_byte(h, 8) % 30), $7::timestamptz),
                  LEAST(starts_at - make_interval(days => 1 + get_byte(h, 8) % 30), $7::timestamptz),
                  (ARRAY['OWN_INSTITUTION', 'OWN_PROVINCE', 'OTHER_PROVINCE', 'ENTERPRISE'])[1 + get_byte(h, 9) % 4],
                  -- Completed bookings were used as booked (the evaluation reads actual use).
                  CASE WHEN starts_at < $7::timestamptz AND get_byte(h, 4) < 204 THEN starts_at END,
                  CASE WHEN starts_at < $7::timestamptz AND get_byte(h, 4) < 204 THEN starts_at + make_interval(mins => minutes) END
           FROM s ON CONFLICT DO NOTHING
           RETURNING id, user_id, status, created_at)
         INSERT INTO booking_events (booking_id, status, actor_id, actor_name, note, at)
         SELECT id, 'REQUESTED', user_id::text, 'Bench Researcher', NULL, created_at FROM b
         UNION ALL
         SELECT id, status, 'bench-admin', 'Bench Admin', NULL, created_at + interval '1 hour' FROM b WHERE status <> 'REQUESTED'`,
        [ns, bookingsHave + 1, scale.bookings, instruments, windowDays, options.anchorDay, options.historyEnds.toISOString(), PURPOSES],
      );
    }

    // Fresh statistics for the planner, and a visibility map so counts can read indexes only. The tallies the triggers
    // filled too: left to autovacuum, their ANALYZE would land in the middle of a scenario.
    for (const table of [
      'labs', 'lab_partner_instruments', 'instruments', 'talent_cards', 'bookings', 'booking_events',
      'booking_day_tallies', 'instrument_tallies', 'talent_card_tallies',
    ]) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
  } finally {
    await client.end();
  }
}
