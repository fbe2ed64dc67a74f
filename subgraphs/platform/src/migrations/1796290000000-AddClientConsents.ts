import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner clients acting for people: the redirect URIs a client registered (where a person's approval sends its
 * one-time code), people's consents, and the codes themselves (their SHA-256 only, single use).
 */
export class AddClientConsents1796290000000 implements MigrationInterface {
  name = 'AddClientConsents1796290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE partner_clients ADD COLUMN redirect_uris text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE TABLE client_consents (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client_id varchar(64) NOT NULL REFERENCES partner_clients (client_id) ON DELETE CASCADE,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        granted_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason varchar(200),
        last_used_at timestamptz
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX client_consents_active ON client_consents (user_id, client_id) WHERE revoked_at IS NULL');
    await queryRunner.query('CREATE INDEX client_consents_client ON client_consents (client_id)');
    await queryRunner.query('CREATE INDEX client_consents_revoked ON client_consents (revoked_at) WHERE revoked_at IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE authorization_codes (
        code_hash char(64) PRIMARY KEY,
        consent_id uuid NOT NULL REFERENCES client_consents (id) ON DELETE CASCADE,
        client_id varchar(64) NOT NULL,
        user_id uuid NOT NULL,
        redirect_uri varchar(2048) NOT NULL,
        code_challenge varchar(128) NOT NULL,
        scopes text[] NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX authorization_codes_consent ON authorization_codes (consent_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE authorization_codes');
    await queryRunner.query('DROP TABLE client_consents');
    await queryRunner.query('ALTER TABLE partner_clients DROP COLUMN redirect_uris');
  }
}
