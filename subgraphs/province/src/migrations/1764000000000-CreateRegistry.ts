import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The province registry: categories, labs, instruments, talent cards, recognition catalogue, bookings. */
export class CreateRegistry1764000000000 implements MigrationInterface {
  name = 'CreateRegistry1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension: the database owner may create it without superuser rights.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(`
      CREATE TABLE instrument_categories (
        code varchar(40) PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        name_en varchar(100) NOT NULL,
        name_zh varchar(100) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE labs (
        id uuid PRIMARY KEY,
        code varchar(40) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        name_zh varchar(200) NOT NULL,
        institution varchar(200) NOT NULL,
        city varchar(80) NOT NULL,
        level varchar(20) NOT NULL CHECK (level IN ('NATIONAL', 'PROVINCIAL')),
        jointly_built boolean NOT NULL DEFAULT false,
        partner_province varchar(20) CHECK (partner_province IN ('sichuan', 'chongqing')),
        partner_institutions text[] NOT NULL DEFAULT '{}',
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (jointly_built = (partner_province IS NOT NULL))
      )`);
    await queryRunner.query('CREATE INDEX labs_joint_idx ON labs (jointly_built, name)');
    await queryRunner.query(`
      CREATE TABLE lab_partner_instruments (
        lab_id uuid NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
        partner_instrument_id varchar(100) NOT NULL,
        position smallint NOT NULL DEFAULT 0,
        PRIMARY KEY (lab_id, partner_instrument_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE instruments (
        id uuid PRIMARY KEY,
        asset_code varchar(40) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        name_zh varchar(200) NOT NULL,
        category_code varchar(40) NOT NULL REFERENCES instrument_categories (code),
        model varchar(120),
        manufacturer varchar(120),
        institution varchar(200) NOT NULL,
        lab_id uuid REFERENCES labs (id),
        location varchar(200),
        status varchar(20) NOT NULL CHECK (status IN ('IN_SERVICE', 'MAINTENANCE', 'RETIRED')),
        open_for_sharing boolean NOT NULL DEFAULT true,
        hourly_fee numeric(10, 2) NOT NULL CHECK (hourly_fee >= 0),
        services text[] NOT NULL CHECK (services <@ ARRAY['TESTING', 'RND', 'CONSULTATION'] AND cardinality(services) > 0),
        open_from_hour smallint NOT NULL CHECK (open_from_hour BETWEEN 0 AND 23),
        open_to_hour smallint NOT NULL CHECK (open_to_hour BETWEEN 1 AND 24),
        description text,
        -- What a keyword search looks in, kept by PostgreSQL itself.
        search_text text GENERATED ALWAYS AS (
          lower(name || ' ' || name_zh || ' ' || coalesce(model, '') || ' ' || coalesce(manufacturer, '') || ' ' || institution)
        ) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (open_to_hour > open_from_hour)
      )`);
    // Keyset pagination sorts by (name, id); each filter has an index that keeps that order.
    await queryRunner.query('CREATE INDEX instruments_name_idx ON instruments (name, id)');
    await queryRunner.query('CREATE INDEX instruments_category_idx ON instruments (category_code, name, id)');
    await queryRunner.query('CREATE INDEX instruments_status_idx ON instruments (status, name, id)');
    await queryRunner.query('CREATE INDEX instruments_lab_idx ON instruments (lab_id, name, id)');
    await queryRunner.query('CREATE INDEX instruments_search_idx ON instruments USING gin (search_text gin_trgm_ops)');
    await queryRunner.query(`
      CREATE TABLE talent_cards (
        id uuid PRIMARY KEY,
        card_number varchar(40) NOT NULL UNIQUE,
        tier char(1) NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
        holder_user_id uuid,
        holder_name varchar(120) NOT NULL,
        field varchar(120),
        employer varchar(200),
        issued_on date NOT NULL,
        valid_until date NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('ACTIVE', 'EXPIRED', 'REVOKED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until >= issued_on)
      )`);
    await queryRunner.query('CREATE INDEX talent_cards_holder_idx ON talent_cards (holder_user_id)');
    await queryRunner.query(`
      CREATE TABLE recognition_catalog (
        code varchar(40) PRIMARY KEY,
        name varchar(200) NOT NULL,
        name_zh varchar(200) NOT NULL,
        provider varchar(200) NOT NULL,
        minimum_tier char(1) NOT NULL CHECK (minimum_tier IN ('A', 'B', 'C', 'D')),
        how_to_apply text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY,
        instrument_id uuid NOT NULL REFERENCES instruments (id),
        user_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED')),
        purpose varchar(500) NOT NULL,
        idempotency_key varchar(100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        UNIQUE (user_id, idempotency_key)
      )`);
    await queryRunner.query('CREATE INDEX bookings_user_idx ON bookings (user_id, starts_at DESC)');
    await queryRunner.query('CREATE INDEX bookings_instrument_idx ON bookings (instrument_id, starts_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE bookings');
    await queryRunner.query('DROP TABLE recognition_catalog');
    await queryRunner.query('DROP TABLE talent_cards');
    await queryRunner.query('DROP TABLE instruments');
    await queryRunner.query('DROP TABLE lab_partner_instruments');
    await queryRunner.query('DROP TABLE labs');
    await queryRunner.query('DROP TABLE instrument_categories');
  }
}
