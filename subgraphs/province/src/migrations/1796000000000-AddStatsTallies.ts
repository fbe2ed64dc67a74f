import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Running totals for the dashboard figures, kept by triggers in the same
 * transaction as every write, so `stats` reads a few hundred tally rows
 * instead of scanning the registry (200,000 bookings a province took ~90 ms;
 * the tallies ~2 ms, and flat as the registry grows).
 *
 * - instrument_tallies: instruments per category, status and opening hours.
 * - booking_day_tallies: per UTC+8 day, instrument category and booking
 *   status, the bookings starting that day and the seconds of bookings that
 *   fall in that day (a booking over midnight counts in both days).
 * - talent_card_tallies: cards per tier and stored status (a card ACTIVE past
 *   its last day is told apart at read time, through a small partial index).
 *
 * Triggers are statement-level with transition tables: a bulk insert of
 * 200,000 bookings updates each tally row once, not 200,000 times. Each
 * upsert touches its rows in key order, so two writers never deadlock on them.
 * Tests compare every figure with one counted from the plain rows.
 */
export class AddStatsTallies1796000000000 implements MigrationInterface {
  name = 'AddStatsTallies1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);

    await run(`
      CREATE TABLE instrument_tallies (
        category_code varchar(40) NOT NULL,
        status varchar(20) NOT NULL,
        open_from_hour smallint NOT NULL,
        open_to_hour smallint NOT NULL,
        instruments integer NOT NULL,
        PRIMARY KEY (category_code, status, open_from_hour, open_to_hour)
      )`);
    await run(`
      CREATE TABLE booking_day_tallies (
        day date NOT NULL,
        category_code varchar(40) NOT NULL,
        status varchar(20) NOT NULL,
        started integer NOT NULL,
        booked_seconds numeric NOT NULL,
        PRIMARY KEY (day, category_code, status)
      )`);
    await run(`
      CREATE TABLE talent_card_tallies (
        tier char(1) NOT NULL,
        status varchar(20) NOT NULL,
        cards integer NOT NULL,
        PRIMARY KEY (tier, status)
      )`);
    // ACTIVE cards past their last day: few, and found without reading the others.
    await run(`CREATE INDEX talent_cards_active_until_idx ON talent_cards (valid_until, tier) WHERE status = 'ACTIVE'`);
    // Open labs and joint labs counted from a narrow index, not the wide lab rows.
    await run('CREATE INDEX labs_open_idx ON labs (jointly_built) WHERE retired_at IS NULL');

    // A booking's share of each UTC+8 day it touches: 1 start on its first day, and its seconds inside each day.
    await run(`
      CREATE FUNCTION booking_day_shares(starts timestamptz, ends timestamptz)
      RETURNS TABLE (day date, started integer, seconds numeric) LANGUAGE sql IMMUTABLE AS $$
        SELECT midnight::date,
               (midnight = date_trunc('day', (starts AT TIME ZONE 'UTC') + interval '8 hours'))::integer,
               extract(epoch FROM LEAST(ends, (midnight + interval '16 hours') AT TIME ZONE 'UTC')
                                  - GREATEST(starts, (midnight - interval '8 hours') AT TIME ZONE 'UTC'))
          FROM generate_series(date_trunc('day', (starts AT TIME ZONE 'UTC') + interval '8 hours'),
                               (ends AT TIME ZONE 'UTC') + interval '8 hours' - interval '1 microsecond',
                               interval '1 day') AS midnight
      $$`);

    // changes: rows (sign, category_code, starts_at, ends_at, status); -1 takes a booking's shares away, +1 adds them.
    const addBookingShares = (changes: string) => `
      INSERT INTO booking_day_tallies AS t (day, category_code, status, started, booked_seconds)
      SELECT s.day, c.category_code, c.status, sum(c.sign * s.started), sum(c.sign * s.seconds)
        FROM (${changes}) AS c (sign, category_code, starts_at, ends_at, status)
       CROSS JOIN LATERAL booking_day_shares(c.starts_at, c.ends_at) AS s
       GROUP BY 1, 2, 3
       ORDER BY 1, 2, 3
      ON CONFLICT (day, category_code, status)
      DO UPDATE SET started = t.started + EXCLUDED.started, booked_seconds = t.booked_seconds + EXCLUDED.booked_seconds`;
    // A booking counts under its instrument's current category.
    const bookingsOf = (sign: number, rows: string) =>
      `SELECT ${sign}, i.category_code, b.starts_at, b.ends_at, b.status FROM ${rows} b JOIN instruments i ON i.id = b.instrument_id`;
    // Waits for a category change of these instruments in flight and then reads the committed category:
    // tally_instruments moves only the bookings its own statement can see.
    const lockInstrumentsOf = (rows: string) =>
      `PERFORM 1 FROM instruments WHERE id IN (SELECT instrument_id FROM ${rows}) ORDER BY id FOR SHARE`;
    await run(`
      CREATE FUNCTION tally_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${lockInstrumentsOf('new_rows')};
          ${addBookingShares(bookingsOf(1, 'new_rows'))};
        ELSIF TG_OP = 'DELETE' THEN
          ${lockInstrumentsOf('old_rows')};
          ${addBookingShares(bookingsOf(-1, 'old_rows'))};
        ELSE
          ${lockInstrumentsOf('(SELECT instrument_id FROM old_rows UNION SELECT instrument_id FROM new_rows) AS changed')};
          ${addBookingShares(`${bookingsOf(-1, 'old_rows')} UNION ALL ${bookingsOf(1, 'new_rows')}`)};
        END IF;
        RETURN NULL;
      END $$`);

    // changes: rows (sign, category_code, status, open_from_hour, open_to_hour).
    const addInstruments = (changes: string) => `
      INSERT INTO instrument_tallies AS t (category_code, status, open_from_hour, open_to_hour, instruments)
      SELECT c.category_code, c.status, c.open_from_hour, c.open_to_hour, sum(c.sign)
        FROM (${changes}) AS c (sign, category_code, status, open_from_hour, open_to_hour)
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4
      ON CONFLICT (category_code, status, open_from_hour, open_to_hour) DO UPDATE SET instruments = t.instruments + EXCLUDED.instruments`;
    const INSTRUMENT = 'category_code, status, open_from_hour, open_to_hour';
    // The bookings of instruments whose category changed: away from the old category, into the new one.
    const movedBookings = `
      SELECT sign, CASE WHEN sign < 0 THEN o.category_code ELSE n.category_code END, b.starts_at, b.ends_at, b.status
        FROM old_rows o
        JOIN new_rows n ON n.id = o.id AND n.category_code <> o.category_code
        JOIN bookings b ON b.instrument_id = o.id
       CROSS JOIN (VALUES (-1), (1)) AS signs (sign)`;
    await run(`
      CREATE FUNCTION tally_instruments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${addInstruments(`SELECT 1, ${INSTRUMENT} FROM new_rows`)};
        ELSIF TG_OP = 'DELETE' THEN
          ${addInstruments(`SELECT -1, ${INSTRUMENT} FROM old_rows`)};
        ELSE
          ${addInstruments(`SELECT -1, ${INSTRUMENT} FROM old_rows UNION ALL SELECT 1, ${INSTRUMENT} FROM new_rows`)};
          ${addBookingShares(movedBookings)};
        END IF;
        RETURN NULL;
      END $$`);

    const addCards = (changes: string) => `
      INSERT INTO talent_card_tallies AS t (tier, status, cards)
      SELECT c.tier, c.status, sum(c.sign) FROM (${changes}) AS c (sign, tier, status)
       GROUP BY 1, 2
       ORDER BY 1, 2
      ON CONFLICT (tier, status) DO UPDATE SET cards = t.cards + EXCLUDED.cards`;
    await run(`
      CREATE FUNCTION tally_talent_cards() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${addCards('SELECT 1, tier, status FROM new_rows')};
        ELSIF TG_OP = 'DELETE' THEN
          ${addCards('SELECT -1, tier, status FROM old_rows')};
        ELSE
          ${addCards('SELECT -1, tier, status FROM old_rows UNION ALL SELECT 1, tier, status FROM new_rows')};
        END IF;
        RETURN NULL;
      END $$`);

    await run(`
      CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'TRUNCATE of % would leave the stats tallies wrong; DELETE the rows instead', TG_TABLE_NAME;
      END $$`);
    // Transition tables allow one event per trigger, hence three triggers per table.
    for (const [table, fn] of [['bookings', 'tally_bookings'], ['instruments', 'tally_instruments'], ['talent_cards', 'tally_talent_cards']] as const) {
      await run(`CREATE TRIGGER ${table}_tally_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      await run(`CREATE TRIGGER ${table}_tally_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      await run(`CREATE TRIGGER ${table}_tally_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      // TRUNCATE has no transition table: the tallies would no longer add up, so it is refused.
      await run(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);
    }

    // The rows already there.
    await run(addInstruments(`SELECT 1, ${INSTRUMENT} FROM instruments`));
    await run(addBookingShares(bookingsOf(1, 'bookings')));
    await run(addCards('SELECT 1, tier, status FROM talent_cards'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bookings', 'instruments', 'talent_cards']) {
      for (const suffix of ['tally_insert', 'tally_update', 'tally_delete', 'no_truncate']) {
        await queryRunner.query(`DROP TRIGGER ${table}_${suffix} ON ${table}`);
      }
    }
    for (const fn of ['tally_bookings', 'tally_instruments', 'tally_talent_cards', 'refuse_truncate']) await queryRunner.query(`DROP FUNCTION ${fn}()`);
    await queryRunner.query('DROP FUNCTION booking_day_shares(timestamptz, timestamptz)');
    await queryRunner.query('DROP INDEX labs_open_idx');
    await queryRunner.query('DROP INDEX talent_cards_active_until_idx');
    for (const table of ['talent_card_tallies', 'booking_day_tallies', 'instrument_tallies']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
