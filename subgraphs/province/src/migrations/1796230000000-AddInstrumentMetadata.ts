import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core metadata of the national and provincial instrument standards (GB/T 30523; Chongqing DB50/T 1014.3):
 * original value in integer fen, funding source, purchase and commissioning dates, country of manufacture,
 * national classification code, main specifications and functions, and the sharing contact. Nullable, as the
 * instruments already registered have none; the API checks each value as it is written. Categories gain a
 * retirement date: a retired category keeps its instruments' history but takes no new instrument.
 */
export class AddInstrumentMetadata1796230000000 implements MigrationInterface {
  name = 'AddInstrumentMetadata1796230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE instruments
        ADD COLUMN original_value_fen bigint CHECK (original_value_fen >= 0),
        ADD COLUMN funding_source varchar(20) CHECK (funding_source IN ('CENTRAL_FISCAL', 'LOCAL_FISCAL', 'SELF_RAISED', 'OTHER')),
        ADD COLUMN purchase_date date,
        ADD COLUMN commissioning_date date,
        ADD COLUMN country_of_manufacture varchar(2) CHECK (country_of_manufacture ~ '^[A-Z]{2}$'),
        ADD COLUMN classification_code varchar(6) CHECK (classification_code ~ '^[0-9]{6}$'),
        ADD COLUMN main_specifications text,
        ADD COLUMN main_functions text,
        ADD COLUMN sharing_contact_name varchar(100),
        ADD COLUMN sharing_contact_phone varchar(40),
        ADD COLUMN sharing_contact_email varchar(200),
        ADD CONSTRAINT instruments_commissioned_after_purchase CHECK (commissioning_date >= purchase_date)`);
    // Searches by a classification prefix (class, subclass) keep the (name, id) page order.
    await queryRunner.query('CREATE INDEX instruments_classification_idx ON instruments (classification_code varchar_pattern_ops, name, id)');
    await queryRunner.query('ALTER TABLE instrument_categories ADD COLUMN retired_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE instrument_categories DROP COLUMN retired_at');
    await queryRunner.query('DROP INDEX instruments_classification_idx');
    await queryRunner.query(`
      ALTER TABLE instruments
        DROP CONSTRAINT instruments_commissioned_after_purchase,
        DROP COLUMN sharing_contact_email,
        DROP COLUMN sharing_contact_phone,
        DROP COLUMN sharing_contact_name,
        DROP COLUMN main_functions,
        DROP COLUMN main_specifications,
        DROP COLUMN classification_code,
        DROP COLUMN country_of_manufacture,
        DROP COLUMN commissioning_date,
        DROP COLUMN purchase_date,
        DROP COLUMN funding_source,
        DROP COLUMN original_value_fen`);
  }
}
