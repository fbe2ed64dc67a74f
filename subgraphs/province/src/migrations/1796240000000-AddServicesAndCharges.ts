import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Services beside self-operated booking: offerings of an instrument or a lab with price lists by customer
 * category, service requests with their workflow history and report, charges with item and credit lines (money
 * in integer fen), and the price snapshot a booking records when it is made. A charge keeps room for a voucher
 * part (the voucher's owner holds the balance; this province records only its hold and amount).
 */
export class AddServicesAndCharges1796240000000 implements MigrationInterface {
  name = 'AddServicesAndCharges1796240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE offerings (
        id uuid PRIMARY KEY,
        instrument_id uuid REFERENCES instruments(id),
        lab_id uuid REFERENCES labs(id),
        kind varchar(30) NOT NULL CHECK (kind IN ('SELF_OPERATED', 'SAMPLE_TESTING', 'ASSISTED_OPERATION', 'RD_PROJECT', 'CONSULTATION')),
        name varchar(200) NOT NULL,
        name_zh varchar(200) NOT NULL,
        turnaround_days integer CHECK (turnaround_days BETWEEN 1 AND 365),
        requirements varchar(2000),
        sample_form jsonb NOT NULL DEFAULT '[]',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT offerings_one_provider CHECK ((instrument_id IS NULL) <> (lab_id IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX offerings_instrument ON offerings (instrument_id)');
    await queryRunner.query('CREATE INDEX offerings_lab ON offerings (lab_id)');
    await queryRunner.query(`
      CREATE TABLE offering_prices (
        offering_id uuid NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
        customer_category varchar(30) NOT NULL CHECK (customer_category IN ('OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL')),
        band varchar(40) NOT NULL,
        from_hour integer CHECK (from_hour BETWEEN 0 AND 23),
        to_hour integer CHECK (to_hour BETWEEN 1 AND 24),
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        PRIMARY KEY (offering_id, customer_category, band),
        CHECK ((from_hour IS NULL) = (to_hour IS NULL) AND (from_hour IS NULL OR from_hour < to_hour))
      )`);

    await queryRunner.query(`
      ALTER TABLE bookings
        ADD COLUMN price_category varchar(30),
        ADD COLUMN price_offering_id uuid REFERENCES offerings(id),
        ADD COLUMN price_lines jsonb,
        ADD COLUMN price_total_fen bigint CHECK (price_total_fen >= 0)`);

    await queryRunner.query(`
      CREATE TABLE service_requests (
        id uuid PRIMARY KEY,
        offering_id uuid NOT NULL REFERENCES offerings(id),
        requester_id uuid NOT NULL,
        requester_name varchar(200) NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('SUBMITTED', 'QUOTED', 'ACCEPTED', 'DECLINED', 'SAMPLES_RECEIVED', 'IN_PROGRESS', 'REPORT_ISSUED', 'CLOSED', 'CANCELLED', 'REJECTED')),
        form_values jsonb NOT NULL,
        sample_count integer NOT NULL CHECK (sample_count BETWEEN 1 AND 1000),
        needed_by timestamptz NOT NULL,
        description varchar(2000) NOT NULL,
        idempotency_key varchar(100) NOT NULL,
        price_category varchar(30) NOT NULL,
        price_unit varchar(10) NOT NULL,
        price_unit_fen bigint CHECK (price_unit_fen >= 0),
        price_estimate_fen bigint CHECK (price_estimate_fen >= 0),
        quote_amount_fen bigint CHECK (quote_amount_fen > 0),
        quote_valid_until timestamptz,
        closing_reason varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (requester_id, idempotency_key)
      )`);
    await queryRunner.query('CREATE INDEX service_requests_requester ON service_requests (requester_id, created_at DESC)');
    await queryRunner.query('CREATE INDEX service_requests_status ON service_requests (status, created_at)');
    await queryRunner.query(`
      CREATE TABLE service_request_events (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES service_requests(id),
        status varchar(20) NOT NULL,
        actor_id varchar(100) NOT NULL,
        actor_name varchar(200) NOT NULL,
        note varchar(500),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX service_request_events_request ON service_request_events (request_id, id)');
    await queryRunner.query(`
      CREATE TABLE service_reports (
        request_id uuid PRIMARY KEY REFERENCES service_requests(id),
        file_name varchar(200) NOT NULL,
        content_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        uploaded_by varchar(100) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE charges (
        id uuid PRIMARY KEY,
        payer_id uuid NOT NULL,
        payer_name varchar(200) NOT NULL,
        customer_category varchar(30) NOT NULL,
        source varchar(20) NOT NULL CHECK (source IN ('BOOKING', 'SERVICE_REQUEST')),
        booking_id uuid UNIQUE REFERENCES bookings(id),
        service_request_id uuid UNIQUE REFERENCES service_requests(id),
        offering_kind varchar(30) NOT NULL,
        voucher_id varchar(100),
        voucher_hold_id varchar(100),
        voucher_amount_fen bigint CHECK (voucher_amount_fen > 0),
        voucher_status varchar(10) CHECK (voucher_status IN ('PENDING', 'CAPTURED', 'RELEASED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((source = 'BOOKING') = (booking_id IS NOT NULL) AND (source = 'SERVICE_REQUEST') = (service_request_id IS NOT NULL)),
        CHECK ((voucher_id IS NULL) = (voucher_amount_fen IS NULL) AND (voucher_id IS NULL) = (voucher_status IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX charges_payer ON charges (payer_id, created_at)');
    await queryRunner.query('CREATE INDEX charges_created ON charges (created_at)');
    // Lines are only ever added: a credit or refund is a negative line, never an edit of an earlier one.
    await queryRunner.query(`
      CREATE TABLE charge_lines (
        id bigserial PRIMARY KEY,
        charge_id uuid NOT NULL REFERENCES charges(id),
        kind varchar(10) NOT NULL CHECK (kind IN ('ITEM', 'CREDIT')),
        description varchar(300) NOT NULL,
        quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),
        unit_fen bigint,
        amount_fen bigint NOT NULL,
        reason varchar(500),
        actor_id varchar(100) NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'ITEM' AND amount_fen >= 0) OR (kind = 'CREDIT' AND amount_fen < 0 AND reason IS NOT NULL))
      )`);
    await queryRunner.query('CREATE INDEX charge_lines_charge ON charge_lines (charge_id, id)');
    await queryRunner.query(`
      CREATE FUNCTION charge_lines_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'charge lines are never changed: add a credit line instead'; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER charge_lines_append_only BEFORE UPDATE OR DELETE ON charge_lines
      FOR EACH ROW EXECUTE FUNCTION charge_lines_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER charge_lines_append_only ON charge_lines');
    await queryRunner.query('DROP FUNCTION charge_lines_append_only()');
    await queryRunner.query('DROP TABLE charge_lines');
    await queryRunner.query('DROP TABLE charges');
    await queryRunner.query('DROP TABLE service_reports');
    await queryRunner.query('DROP TABLE service_request_events');
    await queryRunner.query('DROP TABLE service_requests');
    await queryRunner.query(`
      ALTER TABLE bookings
        DROP COLUMN price_total_fen,
        DROP COLUMN price_lines,
        DROP COLUMN price_offering_id,
        DROP COLUMN price_category`);
    await queryRunner.query('DROP TABLE offering_prices');
    await queryRunner.query('DROP TABLE offerings');
  }
}
