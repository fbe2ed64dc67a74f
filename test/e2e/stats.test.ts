import { PROVINCES, PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';
import { DEMO_SEEDS, seededId } from '../../subgraphs/province/src/seeds';
import { withDatabase } from '../support/database';
import {
  ADMIN_OF, SlotAllocator, book, closePools, confirm, createInstrument, issueCard, localIdOf, localTime, sql,
} from '../support/registryFixtures';
import { gateway, onlyError, tokenFor } from '../support/system';

/*
 * Expected figures are computed here from plain rows of each province's
 * database, in JavaScript, independently of the service's SQL. Other test
 * files add bookings, instruments, labs and cards while this one runs, so
 * the rows are read just before and just after the request, and compared
 * only when nothing changed in between. Seeded instruments, cards and labs
 * are counted from the seed files themselves.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LOCAL_OFFSET_MS = 8 * HOUR_MS;
const ACTIVE = new Set(['REQUESTED', 'CONFIRMED', 'COMPLETED']);

const FIELDS = `province from to instruments
  instrumentsByCategory { key count } instrumentsByStatus { key count }
  bookingsByStatus { key count } bookingsPerDay { day bookings bookedHours }
  utilisationByCategory { category bookedHours openHours utilisation }
  talentCardsByTier { key count } talentCardsByStatus { key count }
  recognitionsGranted labs jointLabs`;
const BOTH = `query Stats($from: DateTime, $to: DateTime) {
  sichuan { stats(from: $from, to: $to) { ${FIELDS} } }
  chongqing { stats(from: $from, to: $to) { ${FIELDS} } }
}`;

interface Rows {
  categories: string[];
  instruments: { asset_code: string; category_code: string; status: string; open_from_hour: number; open_to_hour: number }[];
  bookings: { starts_at: Date; ends_at: Date; status: string; category_code: string }[];
  cards: { card_number: string; tier: string; status: string; valid_until: string }[];
  labs: { id: string; jointly_built: boolean; retired: boolean }[];
  grants: { verified_at: Date }[];
}

/** Plain rows, no aggregation: what the figures are computed from. */
const readRows = (province: ProvinceKey): Promise<Rows> =>
  withDatabase(province, async (db) => ({
    categories: (await db.query('SELECT code FROM instrument_categories ORDER BY code')).rows.map((r) => r.code),
    instruments: (await db.query('SELECT asset_code, category_code, status, open_from_hour, open_to_hour FROM instruments ORDER BY id')).rows,
    bookings: (await db.query('SELECT b.starts_at, b.ends_at, b.status, i.category_code FROM bookings b JOIN instruments i ON i.id = b.instrument_id ORDER BY b.id')).rows,
    cards: (await db.query("SELECT card_number, tier, status, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM talent_cards ORDER BY card_number")).rows,
    labs: (await db.query('SELECT id, jointly_built, retired_at IS NOT NULL AS retired FROM labs ORDER BY id')).rows,
    grants: (await db.query('SELECT verified_at FROM recognition_grants ORDER BY id')).rows,
  }));

const localDate = (instant: number) => new Date(instant + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
const localMidnight = (instant: number) => Math.floor((instant + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS;
const overlapHours = (a: number, b: number, c: number, d: number) => Math.max(0, Math.min(b, d) - Math.max(a, c)) / HOUR_MS;
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function countBy<T>(keys: string[], items: T[], keyOf: (item: T) => string) {
  return keys.map((key) => ({ key, count: items.filter((item) => keyOf(item) === key).length }));
}

/** The figures a dashboard should get for [from, to), per the definitions in StatsService. */
function expectedStats(province: ProvinceKey, rows: Rows, from: number, to: number, now: number) {
  const seed = DEMO_SEEDS[province];
  const seededCodes = new Set(seed.instruments.map((i) => i.code));
  const seededCards = new Set(seed.talentCards.map((c) => c.cardNumber));
  const seededLabs = new Set(seed.labs.map((l) => seededId(province, 'lab', l.code)));
  // Seeded rows as the seed files describe them; rows created by tests as the database has them.
  const instruments = [
    ...seed.instruments.map((i) => ({ category: i.category, status: i.status })),
    ...rows.instruments.filter((i) => !seededCodes.has(i.asset_code)).map((i) => ({ category: i.category_code, status: i.status })),
  ];
  const today = localDate(now);
  const effective = (card: { status: string; validUntil: string }) => (card.status === 'ACTIVE' && card.validUntil < today ? 'EXPIRED' : card.status);
  const cards = [
    ...seed.talentCards.map((c) => ({ tier: c.tier, status: effective(c) })),
    ...rows.cards.filter((c) => !seededCards.has(c.card_number)).map((c) => ({ tier: c.tier, status: effective({ status: c.status, validUntil: c.valid_until }) })),
  ];
  const labs = [
    ...seed.labs.map((l) => ({ joint: l.jointlyBuilt, retired: false })),
    ...rows.labs.filter((l) => !seededLabs.has(l.id)).map((l) => ({ joint: l.jointly_built, retired: l.retired })),
  ].filter((l) => !l.retired);

  const bookings = rows.bookings.map((b) => ({ ...b, start: b.starts_at.getTime(), end: b.ends_at.getTime() }));
  const active = bookings.filter((b) => ACTIVE.has(b.status));
  const days: { day: string; lo: number; hi: number }[] = [];
  for (let midnight = localMidnight(from); midnight < to; midnight += DAY_MS) {
    days.push({ day: localDate(midnight), lo: Math.max(midnight, from), hi: Math.min(midnight + DAY_MS, to) });
  }
  const inService = rows.instruments.filter((i) => i.status === 'IN_SERVICE');
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  return {
    province: PROVINCES[province].code,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    instruments: instruments.length,
    instrumentsByCategory: countBy(rows.categories, instruments, (i) => i.category),
    instrumentsByStatus: countBy(['IN_SERVICE', 'MAINTENANCE', 'RETIRED'], instruments, (i) => i.status),
    bookingsByStatus: countBy(
      ['REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED'],
      bookings.filter((b) => b.start >= from && b.start < to),
      (b) => b.status,
    ),
    bookingsPerDay: days.map(({ day, lo, hi }) => ({
      day,
      bookings: active.filter((b) => b.start >= lo && b.start < hi).length,
      bookedHours: round(sum(active.map((b) => overlapHours(b.start, b.end, lo, hi))), 2),
    })),
    utilisationByCategory: rows.categories.map((category) => {
      const booked = sum(active.filter((b) => b.category_code === category).map((b) => overlapHours(b.start, b.end, from, to)));
      const open = sum(
        inService
          .filter((i) => i.category_code === category)
          .flatMap((i) => days.map(({ lo, hi }) => {
            const midnight = localMidnight(lo);
            return overlapHours(midnight + i.open_from_hour * HOUR_MS, midnight + i.open_to_hour * HOUR_MS, lo, hi);
          })),
      );
      return { category, bookedHours: round(booked, 2), openHours: round(open, 2), utilisation: open > 0 ? round(booked / open, 4) : 0 };
    }),
    talentCardsByTier: countBy(['A', 'B', 'C', 'D'], cards, (c) => c.tier),
    talentCardsByStatus: countBy(['ACTIVE', 'EXPIRED', 'REVOKED'], cards, (c) => c.status),
    recognitionsGranted: rows.grants.filter((g) => g.verified_at.getTime() >= from && g.verified_at.getTime() < to).length,
    labs: labs.length,
    jointLabs: labs.filter((l) => l.joint).length,
  };
}

/** Hours and ratios are sums of floats, added in another order in SQL: equal up to their rounding. */
function withFloatTolerance(stats: ReturnType<typeof expectedStats>) {
  return {
    ...stats,
    bookingsPerDay: stats.bookingsPerDay.map((d) => ({ ...d, bookedHours: expect.closeTo(d.bookedHours, 1) })),
    utilisationByCategory: stats.utilisationByCategory.map((c) => ({
      category: c.category,
      bookedHours: expect.closeTo(c.bookedHours, 1),
      openHours: expect.closeTo(c.openHours, 1),
      utilisation: expect.closeTo(c.utilisation, 3),
    })),
  };
}

/**
 * Asks both provinces in one request and returns the answer with the rows as
 * they were around it, retrying while other tests change the rows mid-way.
 */
async function statsWithRows(variables: { from?: string; to?: string }) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await Promise.all(PROVINCE_KEYS.map(readRows));
    const response = await gateway(BOTH, { variables });
    const after = await Promise.all(PROVINCE_KEYS.map(readRows));
    if (JSON.stringify(before) === JSON.stringify(after)) return { response, rows: Object.fromEntries(PROVINCE_KEYS.map((key, i) => [key, after[i]!])) as Record<ProvinceKey, Rows> };
    await pause();
  }
  throw new Error(`the databases kept changing during ${ATTEMPTS} attempts`);
}

const ATTEMPTS = 30;
/** A short, varying pause, so a retry does not fall into the same rhythm as the writes it dodges. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));

describe('stats for dashboards', () => {
  it('answers both provinces in one request over the 30 days up to now, matching the seed and the databases', async () => {
    const asked = Date.now();
    const { response, rows } = await statsWithRows({});
    const answered = Date.now();
    expect(response.body.errors).toBeUndefined();
    for (const province of PROVINCE_KEYS) {
      const stats = response.body.data[province].stats;
      const to = new Date(stats.to).getTime();
      const from = new Date(stats.from).getTime();
      expect(to).toBeGreaterThanOrEqual(asked - 1);
      expect(to).toBeLessThanOrEqual(answered);
      expect(to - from).toBe(30 * DAY_MS);
      expect(stats.bookingsPerDay.length).toBe(localMidnight(to - 1) / DAY_MS - localMidnight(from) / DAY_MS + 1);
      expect(stats.bookingsPerDay[0].day).toBe(localDate(from));
      expect(stats.bookingsPerDay.at(-1).day).toBe(localDate(to - 1));
      expect(stats).toEqual(withFloatTolerance(expectedStats(province, rows[province], from, to, to)));
    }
  });

  it('counts the seeded registry: instruments by category and status, cards by tier and status, labs and joint labs', async () => {
    const { response } = await statsWithRows({});
    for (const province of PROVINCE_KEYS) {
      const seed = DEMO_SEEDS[province];
      const stats = response.body.data[province].stats;
      // Tests add rows but never remove seeded ones: every figure is at least the seed's.
      const atLeast = (list: { key: string; count: number }[], key: string, count: number) =>
        expect(list.find((entry) => entry.key === key)?.count ?? 0).toBeGreaterThanOrEqual(count);
      for (const category of new Set(seed.instruments.map((i) => i.category))) {
        atLeast(stats.instrumentsByCategory, category, seed.instruments.filter((i) => i.category === category).length);
      }
      for (const status of ['IN_SERVICE', 'MAINTENANCE', 'RETIRED']) {
        atLeast(stats.instrumentsByStatus, status, seed.instruments.filter((i) => i.status === status).length);
      }
      for (const tier of ['A', 'B', 'C', 'D']) atLeast(stats.talentCardsByTier, tier, seed.talentCards.filter((c) => c.tier === tier).length);
      expect(stats.instruments).toBeGreaterThanOrEqual(seed.instruments.length);
      expect(stats.instrumentsByStatus.map((e: any) => e.key)).toEqual(['IN_SERVICE', 'MAINTENANCE', 'RETIRED']);
      expect(stats.talentCardsByStatus.map((e: any) => e.key)).toEqual(['ACTIVE', 'EXPIRED', 'REVOKED']);
      // The figures add up.
      const total = (list: { count: number }[]) => list.reduce((sum, entry) => sum + entry.count, 0);
      expect(total(stats.instrumentsByCategory)).toBe(stats.instruments);
      expect(total(stats.instrumentsByStatus)).toBe(stats.instruments);
      expect(total(stats.talentCardsByTier)).toBe(total(stats.talentCardsByStatus));
      expect(stats.jointLabs).toBeLessThanOrEqual(stats.labs);
      expect(stats.jointLabs).toBeGreaterThan(0);
    }
  });

  it('matches bookings counted with SQL on each database over a period given in full', async () => {
    // Local midnights, from three weeks back to ten days ahead: the seeded history, today, and the booking tests' slots.
    const from = localMidnight(Date.now()) - 21 * DAY_MS;
    const to = localMidnight(Date.now()) + 10 * DAY_MS;
    const variables = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    for (let attempt = 0; ; attempt++) {
      const before = await Promise.all(PROVINCE_KEYS.map((province) => bookingsBySql(province, variables.from, variables.to)));
      const { body } = await gateway(BOTH, { variables });
      const after = await Promise.all(PROVINCE_KEYS.map((province) => bookingsBySql(province, variables.from, variables.to)));
      if (JSON.stringify(before) !== JSON.stringify(after) && attempt < ATTEMPTS) {
        await pause();
        continue;
      }
      expect(body.errors).toBeUndefined();
      PROVINCE_KEYS.forEach((province, index) => {
        const stats = body.data[province].stats;
        const sql = after[index]!;
        expect(stats.from).toBe(variables.from);
        expect(stats.to).toBe(variables.to);
        expect(Object.fromEntries(stats.bookingsByStatus.filter((e: any) => e.count > 0).map((e: any) => [e.key, e.count]))).toEqual(sql.byStatus);
        expect(stats.bookingsPerDay).toHaveLength(31);
        expect(Object.fromEntries(stats.bookingsPerDay.filter((d: any) => d.bookings > 0).map((d: any) => [d.day, d.bookings]))).toEqual(sql.perDay);
        const hours = stats.utilisationByCategory.reduce((sum: number, c: any) => sum + c.bookedHours, 0);
        expect(hours).toBeCloseTo(sql.hours, 2);
      });
      // The seeded history has bookings in this period, so the comparison is not between two empty lists.
      expect(Object.keys(after[0]!.byStatus).length).toBeGreaterThan(1);
      break;
    }
  });

  it('refuses a period that ends before it starts or spans more than 366 days', async () => {
    const cases = [
      [{ from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, /from must be before to/],
      [{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, /from must be before to/],
      [{ from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, /at most 366 days/],
    ] as const;
    for (const [variables, message] of cases) {
      const { body } = await gateway(`query S($from: DateTime, $to: DateTime) { sichuan { stats(from: $from, to: $to) { instruments } } }`, { variables });
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
      expect(body.data.sichuan).toBeNull();
    }
    const year = await gateway(`{ sichuan { stats(from: "2025-01-01T00:00:00+08:00", to: "2026-01-02T00:00:00+08:00") { from to bookingsPerDay { day } } } }`);
    expect(year.body.errors).toBeUndefined();
    expect(year.body.data.sichuan.stats.bookingsPerDay).toHaveLength(366);
    expect(year.body.data.sichuan.stats.bookingsPerDay[0].day).toBe('2025-01-01');
    expect(year.body.data.sichuan.stats.bookingsPerDay.at(-1).day).toBe('2026-01-01');
  });

  it('is public, and a period given only by its start runs up to now', async () => {
    const from = new Date(Date.now() - 3 * DAY_MS).toISOString();
    const { body } = await gateway(`query S($from: DateTime) { chongqing { stats(from: $from) { from to } } }`, { variables: { from } });
    expect(body.errors).toBeUndefined();
    expect(body.data.chongqing.stats.from).toBe(from);
    expect(Math.abs(new Date(body.data.chongqing.stats.to).getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('running totals behind the figures', () => {
  afterAll(closePools);

  /**
   * Each tally as the triggers keep it, minus the same tally counted from the
   * rows, in one statement (one snapshot, whatever other test files write
   * meanwhile): every difference is a figure the dashboard would get wrong.
   */
  const TALLY_DIFFERENCES = `
    WITH counted_bookings AS (
      SELECT s.day, i.category_code, b.status, sum(s.started)::int AS started, sum(s.seconds) AS booked_seconds
        FROM bookings b JOIN instruments i ON i.id = b.instrument_id CROSS JOIN LATERAL booking_day_shares(b.starts_at, b.ends_at) s
       GROUP BY 1, 2, 3
    ),
    counted_instruments AS (
      SELECT category_code, status, open_from_hour, open_to_hour, count(*)::int AS instruments FROM instruments GROUP BY 1, 2, 3, 4
    ),
    counted_cards AS (SELECT tier, status, count(*)::int AS cards FROM talent_cards GROUP BY 1, 2),
    differences AS (
      SELECT 'booking' AS tally, day::text || ' ' || category_code || ' ' || status AS key, sum(started) AS n, sum(booked_seconds) AS seconds
        FROM (SELECT day, category_code, status, started, booked_seconds FROM booking_day_tallies
              UNION ALL SELECT day, category_code, status, -started, -booked_seconds FROM counted_bookings) d
       GROUP BY 1, 2 HAVING sum(started) <> 0 OR sum(booked_seconds) <> 0
      UNION ALL
      SELECT 'instrument', category_code || ' ' || status || ' ' || open_from_hour || '-' || open_to_hour, sum(instruments), 0
        FROM (SELECT category_code, status, open_from_hour, open_to_hour, instruments FROM instrument_tallies
              UNION ALL SELECT category_code, status, open_from_hour, open_to_hour, -instruments FROM counted_instruments) d
       GROUP BY 1, 2 HAVING sum(instruments) <> 0
      UNION ALL
      SELECT 'card', tier || ' ' || status, sum(cards), 0
        FROM (SELECT tier, status, cards FROM talent_card_tallies UNION ALL SELECT tier, status, -cards FROM counted_cards) d
       GROUP BY 1, 2 HAVING sum(cards) <> 0
    )
    SELECT tally, key, n::int, seconds::float8 FROM differences ORDER BY 1, 2`;

  it('equal the rows after bookings, status changes, an instrument moved to another category and card changes', async () => {
    const province: ProvinceKey = 'sichuan';
    const P = PROVINCES[province].typePrefix;
    const admin = await tokenFor(ADMIN_OF[province]);
    const researcher = await tokenFor('li.wei');
    const instrumentId = await createInstrument(province, { category: 'NMR' });
    const slots = new SlotAllocator(40);
    const [kept, cancelled, rejected, late] = [
      await book(province, researcher, instrumentId, slots.take()),
      await book(province, researcher, instrumentId, slots.take()),
      await book(province, researcher, instrumentId, slots.take()),
      await book(province, researcher, instrumentId, slots.take()),
    ];
    await confirm(province, kept);
    await confirm(province, late);
    // Moved over local midnight (the API books within one day; data loaded from elsewhere may not): it counts in two days.
    await sql(province, 'UPDATE bookings SET starts_at = $2, ends_at = $3 WHERE id = $1', [localIdOf(late), localTime(45, 22), localTime(46, 2)]);
    const change = async (query: string, variables: Record<string, unknown>) => {
      const { body } = await gateway(query, { token: admin, variables });
      expect(body.errors).toBeUndefined();
    };
    await change(`mutation($id: ID!) { cancel${P}Booking(bookingId: $id, reason: "Plans changed") { id } }`, { id: cancelled });
    await change(`mutation($id: ID!) { reject${P}Booking(bookingId: $id, reason: "Instrument reserved for calibration") { id } }`, { id: rejected });
    // Its bookings move with it from NMR to MASS_SPECTROMETER.
    await change(`mutation($id: ID!, $input: InstrumentUpdateInput!) { update${P}Instrument(id: $id, input: $input) { id } }`, {
      id: instrumentId,
      input: { category: 'MASS_SPECTROMETER', openFromHour: 6, openToHour: 22 },
    });
    const card = await issueCard(province);
    await change(`mutation($id: ID!) { revoke${P}TalentCard(id: $id, reason: "Issued in error") { id } }`, { id: card.id });

    const [moved] = await sql(province, `SELECT count(*)::int AS n FROM booking_day_tallies WHERE category_code = 'MASS_SPECTROMETER' AND day IN
      (SELECT (starts_at AT TIME ZONE 'UTC' + interval '8 hours')::date FROM bookings WHERE instrument_id = $1)`, [localIdOf(instrumentId)]);
    expect(moved!['n']).toBeGreaterThan(0);
    for (const owner of PROVINCE_KEYS) expect(await sql(owner, TALLY_DIFFERENCES)).toEqual([]);
  });

  it('refuses TRUNCATE, which would bypass them', async () => {
    // Inside a transaction rolled back whatever happens: other test files use these rows.
    const refusal = await withDatabase('sichuan', async (db) => {
      await db.query('BEGIN');
      try {
        await db.query('TRUNCATE booking_events, bookings');
        return 'truncated';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await db.query('ROLLBACK');
      }
    });
    expect(refusal).toMatch(/TRUNCATE of bookings would leave the stats tallies wrong/);
  });
});

/** Bookings counted by SQL: by status for those starting in the period, per UTC+8 day and hours (clipped) for active ones. */
function bookingsBySql(province: ProvinceKey, from: string, to: string) {
  return withDatabase(province, async (db) => {
    const byStatus = await db.query(
      'SELECT status, count(*)::int AS n FROM bookings WHERE starts_at >= $1 AND starts_at < $2 GROUP BY status',
      [from, to],
    );
    const perDay = await db.query(
      `SELECT to_char((starts_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM bookings
        WHERE starts_at >= $1 AND starts_at < $2 AND status IN ('REQUESTED', 'CONFIRMED', 'COMPLETED') GROUP BY 1`,
      [from, to],
    );
    const hours = await db.query(
      `SELECT coalesce(sum(extract(epoch FROM least(ends_at, $2::timestamptz) - greatest(starts_at, $1::timestamptz))), 0)::float8 / 3600 AS h
         FROM bookings WHERE starts_at < $2 AND ends_at > $1 AND status IN ('REQUESTED', 'CONFIRMED', 'COMPLETED')`,
      [from, to],
    );
    return {
      byStatus: Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n])),
      perDay: Object.fromEntries(perDay.rows.sort((a, b) => a.day.localeCompare(b.day)).map((r) => [r.day, r.n])),
      hours: hours.rows[0].h as number,
    };
  });
}
