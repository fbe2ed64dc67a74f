import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = "'REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED'";

/**
 * What the open-sharing evaluation and instrument managers need beyond the booked period:
 *
 * - bookings: the actual use (check-in, check-out) beside the booked period, NO_SHOW for a confirmed booking
 *   nobody checked in to, who asked relative to the instrument's owner (category and institution, as they were
 *   when the booking was made), whether the user operates the instrument themselves, and late cancellations;
 * - instrument_booking_rules: per instrument, training, lead time, cancellation deadline, auto-confirmation and
 *   whether the partner province's qualifications on the same model are recognised (an instrument without a row
 *   has the defaults: no rule);
 * - qualifications: who may operate an instrument (or every instrument of a model), issued after training, with
 *   an expiry, revocable;
 * - booking_ratings: one rating per completed booking, by its requester;
 * - booking_suspensions: self-booking suspended after repeated no-shows.
 */
export class AddUsageAndQualifications1796250000000 implements MigrationInterface {
  name = 'AddUsageAndQualifications1796250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run('ALTER TABLE bookings DROP CONSTRAINT bookings_status_check');
    await run(`ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (${STATUSES}, 'NO_SHOW'))`);
    await run(`
      ALTER TABLE bookings
        ADD COLUMN self_operated boolean NOT NULL DEFAULT true,
        ADD COLUMN requester_category varchar(20)
          CHECK (requester_category IN ('OWN_INSTITUTION', 'OWN_PROVINCE', 'OTHER_PROVINCE', 'ENTERPRISE')),
        ADD COLUMN requester_institution varchar(200),
        ADD COLUMN actual_start timestamptz,
        ADD COLUMN actual_end timestamptz,
        ADD COLUMN late_cancellation boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT bookings_actual_use_check CHECK (actual_end IS NULL OR (actual_start IS NOT NULL AND actual_end > actual_start))`);
    // The sweeper's question: confirmed bookings nobody checked in to, by start.
    await run("CREATE INDEX bookings_awaiting_check_in_idx ON bookings (starts_at) WHERE status = 'CONFIRMED' AND actual_start IS NULL");
    // The evaluation's question: actual use of each instrument over a period.
    await run('CREATE INDEX bookings_actual_use_idx ON bookings (instrument_id, actual_start) WHERE actual_start IS NOT NULL');
    await run("CREATE INDEX bookings_no_shows_idx ON bookings (user_id, starts_at) WHERE status = 'NO_SHOW'");

    await run(`
      CREATE TABLE instrument_booking_rules (
        instrument_id uuid PRIMARY KEY REFERENCES instruments (id),
        training_required boolean NOT NULL DEFAULT false,
        training_info varchar(500),
        min_lead_minutes integer NOT NULL DEFAULT 0 CHECK (min_lead_minutes BETWEEN 0 AND 43200),
        cancellation_deadline_minutes integer NOT NULL DEFAULT 0 CHECK (cancellation_deadline_minutes BETWEEN 0 AND 43200),
        auto_confirm_qualified boolean NOT NULL DEFAULT false,
        accepts_partner_qualifications boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT training_required OR training_info IS NOT NULL)
      )`);
    await run(`
      CREATE TABLE qualifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        instrument_id uuid REFERENCES instruments (id),
        model varchar(200),
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        issued_by varchar(100) NOT NULL,
        note varchar(500),
        revoked_at timestamptz,
        revoked_reason varchar(500),
        CHECK ((instrument_id IS NULL) <> (model IS NULL)),
        CHECK (expires_at > issued_at),
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      )`);
    await run('CREATE INDEX qualifications_user_idx ON qualifications (user_id, expires_at)');
    await run(`
      CREATE TABLE booking_ratings (
        booking_id uuid PRIMARY KEY REFERENCES bookings (id),
        user_id uuid NOT NULL,
        score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        comment varchar(1000),
        rated_at timestamptz NOT NULL
      )`);
    await run(`
      CREATE TABLE booking_suspensions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        no_shows integer NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await run('CREATE INDEX booking_suspensions_user_idx ON booking_suspensions (user_id, ends_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run('DROP TABLE booking_suspensions');
    await run('DROP TABLE booking_ratings');
    await run('DROP TABLE qualifications');
    await run('DROP TABLE instrument_booking_rules');
    await run('DROP INDEX bookings_no_shows_idx');
    await run('DROP INDEX bookings_actual_use_idx');
    await run('DROP INDEX bookings_awaiting_check_in_idx');
    await run(`
      ALTER TABLE bookings
        DROP CONSTRAINT bookings_actual_use_check,
        DROP COLUMN late_cancellation,
        DROP COLUMN actual_end,
        DROP COLUMN actual_start,
        DROP COLUMN requester_institution,
        DROP COLUMN requester_category,
        DROP COLUMN self_operated`);
    // A NO_SHOW booking goes back to what it was before the sweeper moved it: confirmed.
    await run("UPDATE bookings SET status = 'CONFIRMED' WHERE status = 'NO_SHOW'");
    await run('ALTER TABLE bookings DROP CONSTRAINT bookings_status_check');
    await run(`ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (${STATUSES}))`);
  }
}
