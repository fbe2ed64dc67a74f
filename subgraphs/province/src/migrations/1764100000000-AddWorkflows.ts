import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Booking rules, lifecycle records and the audit log. Double booking becomes
 * impossible by construction: an exclusion constraint forbids two requested or
 * confirmed bookings of one instrument whose periods overlap.
 */
export class AddWorkflows1764100000000 implements MigrationInterface {
  name = 'AddWorkflows1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist lets one GiST index compare the instrument id (=) and the period (&&) together; it is a trusted extension.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query(`
      ALTER TABLE instruments
        ADD COLUMN min_booking_minutes smallint NOT NULL DEFAULT 30,
        ADD COLUMN max_booking_minutes smallint NOT NULL DEFAULT 480,
        ADD COLUMN retired_reason varchar(500),
        ADD CONSTRAINT instruments_booking_length_check CHECK (
          min_booking_minutes >= 30 AND min_booking_minutes % 30 = 0 AND
          max_booking_minutes % 30 = 0 AND max_booking_minutes BETWEEN min_booking_minutes AND 1440)`);
    await queryRunner.query('ALTER TABLE labs ADD COLUMN retired_at timestamptz, ADD COLUMN retired_reason varchar(500)');
    await queryRunner.query('ALTER TABLE talent_cards ADD COLUMN revoked_reason varchar(500)');
    await queryRunner.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
        EXCLUDE USING gist (instrument_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status IN ('REQUESTED', 'CONFIRMED'))`);
    await queryRunner.query(`
      CREATE TABLE booking_events (
        id bigserial PRIMARY KEY,
        booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
        status varchar(20) NOT NULL,
        actor_id varchar(100) NOT NULL,
        note varchar(500),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, id)');
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id varchar(100) NOT NULL,
        actor_name varchar(200) NOT NULL,
        action varchar(60) NOT NULL,
        entity_type varchar(40) NOT NULL,
        entity_id varchar(100),
        details jsonb
      )`);
    await queryRunner.query('CREATE INDEX audit_log_entity_idx ON audit_log (entity_id, id DESC)');
    await queryRunner.query(`
      CREATE TABLE recognition_grants (
        id bigserial PRIMARY KEY,
        card_number varchar(40) NOT NULL,
        tier char(1) NOT NULL,
        services text[] NOT NULL,
        request_id varchar(100) NOT NULL,
        verified_by varchar(100) NOT NULL,
        verified_at timestamptz NOT NULL DEFAULT now(),
        -- One gateway request counts once, even if a fetch is retried.
        UNIQUE (request_id, card_number)
      )`);
    await queryRunner.query('CREATE INDEX recognition_grants_at_idx ON recognition_grants (verified_at)');
    // Numbers for newly issued cards start above every number handed out before this registry existed.
    await queryRunner.query('CREATE SEQUENCE talent_card_number_seq START 700001 MAXVALUE 999999');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SEQUENCE talent_card_number_seq');
    await queryRunner.query('DROP TABLE recognition_grants');
    await queryRunner.query('DROP TABLE audit_log');
    await queryRunner.query('DROP TABLE booking_events');
    await queryRunner.query('ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap');
    await queryRunner.query('ALTER TABLE talent_cards DROP COLUMN revoked_reason');
    await queryRunner.query('ALTER TABLE labs DROP COLUMN retired_reason, DROP COLUMN retired_at');
    await queryRunner.query(`
      ALTER TABLE instruments DROP CONSTRAINT instruments_booking_length_check,
        DROP COLUMN retired_reason, DROP COLUMN max_booking_minutes, DROP COLUMN min_booking_minutes`);
  }
}
