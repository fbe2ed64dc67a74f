/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 */
import { PROVINCES, PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';
import { DEMO_SEEDS } from '../support/demoData';
import { withDatabase } from '../support/database';
import {
  ADMIN_OF, SlotAllocator, book, closePools, confirm, createInstrument, issueCard, localIdOf, localTime, sql,
} from '../support/registryFixtures';
import { gateway, onlyError, tokenFor } from '../support/system';

/*
 * Expected figures are computed here in JavaScript, independently of the
 * service's SQL: the registry (instruments, cards, labs) from the seed files,
 * bookings and grants from plain rows of each province's database. The
 * figures are asked before this file writes anything.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LOCAL_OFFSET_MS = 8 * HOUR_MS;
const ACTIVE = new Set(['REQUESTED', 'CONFIRMED', 'COMPLETED']);

/** The seeded registry, counted by hand from the seed files; `instruments` and by category leave the retired ones out. */
const SEEDED_REGISTRY = {
  sichuan: {
    instruments: 47,
    instrumentsByCategory: {
      CONFOCAL_MICROSCOPE: 5, CRYO_EM: 4, FLOW_CYTOMETER: 4, GENE_SEQUENCER: 5, MASS_SPECTROMETER: 6, NMR: 4,
      SEM: 3, SPATIAL_OMICS: 3, SUPERCOMPUTING: 6, TEM: 3, XRD: 4,
    },
    instrumentsByStatus: { IN_SERVICE: 43, MAINTENANCE: 4, RETIRED: 2 },
    talentCardsByTier: { A: 3, B: 4, C: 4, D: 4 },
    labs: 9,
    jointLabs: 3,
  },
  chongqing: {
    instruments: 48,
    instrumentsByCategory: {
      CONFOCAL_MICROSCOPE: 5, CRYO_EM: 4, FLOW_CYTOMETER: 4, GENE_SEQUENCER: 6, MASS_SPECTROMETER: 6, NMR: 4,
      SEM: 4, SPATIAL_OMICS: 3, SUPERCOMPUTING: 5, TEM: 3, XRD: 4,
    },
    instrumentsByStatus: { IN_SERVICE: 44, MAINTENANCE: 4, RETIRED: 2 },
    talentCardsByTier: { A: 3, B: 4, C: 4, D: 4 },
    labs: 8,
    jointLabs: 3,
  },
} as const;

const FIELDS = `province from to instruments
  instrumentsByCategory { key count } instrumentsByStatus { key count }
  bookingsByStatus { key count } bookingsPerDay { day bookings bookedHours usedHours }
  utilisationByCategory { category bookedHours usedHours openHours utilisation }
  talentCardsByTier { key count } talentCardsByStatus { key count }
  recognitionsGranted labs jointLabs`;
const BOTH = `query Stats($from: DateTime, $to: DateTime) {
  sichuan { stats(from: $from, to: $to) { ${FIELDS} } }
  chongqing { stats(from: $from, to: $to) { ${FIELDS} } }
}`;

interface Rows {
  categories: string[];
  bookings: { starts_at: Date; ends_at: Date; status: string; category_code: string; actual_start: Date | null; actual_end: Date | null }[];
  grants: { verified_at: Date }[];
}

/** Plain rows, no aggregation: what the booking and grant figures are computed from. */
const readRows = (province: ProvinceKey): Promise<Rows> =>
  withDatabase(province, async (db) => ({
    categories: (await db.query('SELECT code FROM instrument_categories ORDER BY code')).rows.map((r) => r.code),
    bookings: (await db.query('SELECT b.starts_at, b.ends_at, b.status, i.category_code, b.actual_start, b.actual_end FROM bookings b JOIN instruments i ON i.id = b.instrument_id ORDER BY b.id')).rows,
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
  const { instruments, labs, talentCards } = DEMO_SEEDS[province];
  const today = localDate(now);
  // A card past its last day counts as expired, whatever its row says.
  const cards = talentCards.map((c) => ({ tier: c.tier, status: c.status === 'ACTIVE' && c.validUntil < today ? 'EXPIRED' : c.status }));

  const bookings = rows.bookings.map((b) => ({ ...b, start: b.starts_at.getTime(), end: b.ends_at.getTime() }));
  const active = bookings.filter((b) => ACTIVE.has(b.status));
  // Actual use: checked in and out, whatever the status.
  const used = bookings.filter((b) => b.actual_end !== null).map((b) => ({ ...b, start: b.actual_start!.getTime(), end: b.actual_end!.getTime() }));
  const days: { day: string; lo: number; hi: number }[] = [];
  for (let midnight = localMidnight(from); midnight < to; midnight += DAY_MS) {
    days.push({ day: localDate(midnight), lo: Math.max(midnight, from), hi: Math.min(midnight + DAY_MS, to) });
  }
  const inService = instruments.filter((i) => i.status === 'IN_SERVICE');
  const notRetired = instruments.filter((i) => i.status !== 'RETIRED');
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  return {
    province: PROVINCES[province].code,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    instruments: notRetired.length,
    instrumentsByCategory: countBy(rows.categories, notRetired, (i) => i.category),
    instrumentsByStatus: countBy(['IN_SERVICE', 'MAINTENANCE', 'RETIRED'], instruments, (i) => i.status),
    bookingsByStatus: countBy(
      ['REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'],
      bookings.filter((b) => b.start >= from && b.start < to),
      (b) => b.status,
    ),
    bookingsPerDay: days.map(({ day, lo, hi }) => ({
      day,
      bookings: active.filter((b) => b.start >= lo && b.start < hi).length,
      bookedHours: round(sum(active.map((b) => overlapHours(b.start, b.end, lo, hi))), 2),
      usedHours: round(sum(used.map((b) => overlapHours(b.start, b.end, lo, hi))), 2),
    })),
    utilisationByCategory: rows.categories.map((category) => {
      const booked = sum(active.filter((b) => b.category_code === category).map((b) => overlapHours(b.start, b.end, from, to)));
      const usedHours = sum(used.filter((b) => b.category_code === category).map((b) => overlapHours(b.start, b.end, from, to)));
      const open = sum(
        inService
          .filter((i) => i.category === category)
          .flatMap((i) => days.map(({ lo, hi }) => {
            const midnight = localMidnight(lo);
            return overlapHours(midnight + i.openFromHour * HOUR_MS, midnight + i.openToHour * HOUR_MS, lo, hi);
          })),
      );
      return { category, bookedHours: round(booked, 2), usedHours: round(usedHours, 2), openHours: round(open, 2), utilisation: open > 0 ? round(usedHours / open, 4) : 0 };
    }),
    talentCardsByTier: countBy(['A', 'B', 'C', 'D'], cards, (c) => c.tier),
    talentCardsByStatus: countBy(['ACTIVE', 'EXPIRED', 'REVOKED'], cards, (c) => c.status),
    recognitionsGranted: rows.grants.filter((g) => g.verified_at.getTime() >= from && g.verified_at.getTime() < to).length,
    labs: labs.length,
    jointLabs: labs.filter((l) => l.jointlyBuilt).length,
  };
}

/** Hours and ratios are sums of floats, added in another order in SQL: equal up to their rounding. */
function withFloatTolerance(stats: ReturnType<typeof expectedStats>) {
  return {
    ...stats,
    bookingsPerDay: stats.bookingsPerDay.map((d) => ({ ...d, bookedHours: expect.closeTo(d.bookedHours, 1), usedHours: expect.closeTo(d.usedHours, 1) })),
    utilisationByCategory: stats.utilisationByCategory.map((c) => ({
      category: c.category,
      bookedHours: expect.closeTo(c.bookedHours, 1),
      usedHours: expect.closeTo(c.usedHours, 1),
      openHours: expect.closeTo(c.openHours, 1),
      utilisation: expect.closeTo(c.utilisation, 3),
    })),
  };
}

describe('stats for dashboards', () => {
  it('answers both provinces in one request over the 30 days up to now, matching the seed and the databases', async () => {
    const asked = Date.now();
    const { body } = await gateway(BOTH);
    const answered = Date.now();
    expect(body.errors).toBeUndefined();
    for (const province of PROVINCE_KEYS) {
      const stats = body.data[province].stats;
      const to = new Date(stats.to).getTime();
      const from = new Date(stats.from).getTime();
      expect(to).toBeGreaterThanOrEqual(asked - 1);
      expect(to).toBeLessThanOrEqual(answered);
      expect(to - from).toBe(30 * DAY_MS);
      expect(stats.bookingsPerDay.length).toBe(localMidnight(to - 1) / DAY_MS - localMidnight(from) / DAY_MS + 1);
      expect(stats.bookingsPerDay[0].day).toBe(localDate(from));
      expect(stats.bookingsPerDay.at(-1).day).toBe(localDate(to - 1));
      expect(stats).toEqual(withFloatTolerance(expectedStats(province, await readRows(province), from, to, to)));
    }
  });

  it('counts the seeded registry: instruments not retired, by category, all by status; cards by tier and status, labs and joint labs', async () => {
    const { body } = await gateway(BOTH);
    expect(body.errors).toBeUndefined();
    for (const province of PROVINCE_KEYS) {
      const stats = body.data[province].stats;
      const seeded = SEEDED_REGISTRY[province];
      const byKey = (list: { key: string; count: number }[]) => Object.fromEntries(list.map((entry) => [entry.key, entry.count]));
      expect(stats.instruments).toBe(seeded.instruments);
      expect(byKey(stats.instrumentsByCategory)).toEqual(seeded.instrumentsByCategory);
      expect(stats.instrumentsByStatus).toEqual(Object.entries(seeded.instrumentsByStatus).map(([key, count]) => ({ key, count })));
      expect(stats.talentCardsByTier).toEqual(Object.entries(seeded.talentCardsByTier).map(([key, count]) => ({ key, count })));
      // Seeded cards lapse as time passes (the first test counts that); the revoked one stays revoked.
      expect(stats.talentCardsByStatus.map((e: any) => e.key)).toEqual(['ACTIVE', 'EXPIRED', 'REVOKED']);
      expect(byKey(stats.talentCardsByStatus)['REVOKED']).toBe(1);
      expect(stats.talentCardsByStatus.reduce((sum: number, e: any) => sum + e.count, 0)).toBe(15);
      expect({ labs: stats.labs, jointLabs: stats.jointLabs }).toEqual({ labs: seeded.labs, jointLabs: seeded.jointLabs });
    }
  });

  it('matches bookings counted with SQL on each database over a period given in full', async () => {
    // Local midnights, from three weeks back to ten days ahead: the seeded history, today, and the booking tests' slots.
    const from = localMidnight(Date.now()) - 21 * DAY_MS;
    const to = localMidnight(Date.now()) + 10 * DAY_MS;
    const variables = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const { body } = await gateway(BOTH, { variables });
    expect(body.errors).toBeUndefined();
    for (const province of PROVINCE_KEYS) {
      const stats = body.data[province].stats;
      const sql = await bookingsBySql(province, variables.from, variables.to);
      // The seeded history has bookings in this period, so the comparison is not between two empty lists.
      expect(Object.keys(sql.byStatus).length).toBeGreaterThan(1);
      expect(stats.from).toBe(variables.from);
      expect(stats.to).toBe(variables.to);
      expect(Object.fromEntries(stats.bookingsByStatus.filter((e: any) => e.count > 0).map((e: any) => [e.key, e.count]))).toEqual(sql.byStatus);
      expect(stats.bookingsPerDay).toHaveLength(31);
      expect(Object.fromEntries(stats.bookingsPerDay.filter((d: any) => d.bookings > 0).map((d: any) => [d.day, d.bookings]))).toEqual(sql.perDay);
      const hours = stats.utilisationByCategory.reduce((sum: number, c: any) => sum + c.bookedHours, 0);
      expect(hours).toBeCloseTo(sql.hours, 2);
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
    const asked = Date.now();
    const { body } = await gateway(`query S($from: DateTime) { chongqing { stats(from: $from) { from to } } }`, { variables: { from } });
    const answered = Date.now();
    expect(body.errors).toBeUndefined();
    expect(body.data.chongqing.stats.from).toBe(from);
    const to = new Date(body.data.chongqing.stats.to).getTime();
    expect(to).toBeGreaterThanOrEqual(asked - 1);
    expect(to).toBeLessThanOrEqual(answered);
  });
});

describe('running totals behind the figures', () => {
  afterAll(closePools);

  /**
   * Each tally as the triggers keep it, minus the same tally counted from the
   * rows: every difference is a figure the dashboard would get wrong.
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
    // CASCADE takes whatever references bookings (charges, ratings, voucher payments…) along, so only the tallies' trigger can refuse it.
    await expect(withDatabase('sichuan', (db) => db.query('TRUNCATE bookings CASCADE'))).rejects.toThrow(
      /TRUNCATE of bookings would leave the stats tallies wrong/,
    );
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
