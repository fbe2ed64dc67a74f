import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner clients registered and run by API: who the client is (organisation, contact, purpose), until when
 * (`expires_at`), whether the platform has suspended it, its request quotas, and the previous secret's hash with
 * the time it stops working, so a rotation gives the partner an overlap to deploy the new one. `disabled` becomes
 * `suspended_at`; existing clients get a year from now and the default quotas.
 */
export class ManagePartnerClients1796220000000 implements MigrationInterface {
  name = 'ManagePartnerClients1796220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE partner_clients
        ADD COLUMN contact varchar(200) NOT NULL DEFAULT '',
        ADD COLUMN purpose varchar(500) NOT NULL DEFAULT '',
        ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '1 year',
        ADD COLUMN suspended_at timestamptz,
        ADD COLUMN suspension_reason varchar(500),
        ADD COLUMN previous_secret_hash varchar(255),
        ADD COLUMN previous_secret_valid_until timestamptz,
        ADD COLUMN secret_rotated_at timestamptz,
        ADD COLUMN requests_per_minute integer NOT NULL DEFAULT 600 CHECK (requests_per_minute > 0),
        ADD COLUMN requests_per_day integer NOT NULL DEFAULT 100000 CHECK (requests_per_day > 0),
        ADD CONSTRAINT partner_clients_quota_order CHECK (requests_per_day >= requests_per_minute),
        ADD CONSTRAINT partner_clients_previous_secret CHECK ((previous_secret_hash IS NULL) = (previous_secret_valid_until IS NULL))`);
    await queryRunner.query('UPDATE partner_clients SET suspended_at = now(), suspension_reason = \'disabled before clients were managed by API\' WHERE disabled');
    await queryRunner.query('ALTER TABLE partner_clients DROP COLUMN disabled');
    await queryRunner.query('ALTER TABLE partner_clients ALTER COLUMN expires_at DROP DEFAULT');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE partner_clients ADD COLUMN disabled boolean NOT NULL DEFAULT false');
    await queryRunner.query('UPDATE partner_clients SET disabled = true WHERE suspended_at IS NOT NULL');
    await queryRunner.query(`
      ALTER TABLE partner_clients
        DROP CONSTRAINT partner_clients_previous_secret,
        DROP CONSTRAINT partner_clients_quota_order,
        DROP COLUMN requests_per_day,
        DROP COLUMN requests_per_minute,
        DROP COLUMN secret_rotated_at,
        DROP COLUMN previous_secret_valid_until,
        DROP COLUMN previous_secret_hash,
        DROP COLUMN suspension_reason,
        DROP COLUMN suspended_at,
        DROP COLUMN expires_at,
        DROP COLUMN purpose,
        DROP COLUMN contact`);
  }
}
