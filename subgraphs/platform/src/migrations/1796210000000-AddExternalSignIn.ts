import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity from elsewhere and self-service accounts. Users gain an e-mail address (lower-case, unique when set),
 * a language for mail, and an affiliation (institution and kind) with whether it was verified; a user signing in
 * only through a provider has no password. `external_identities` links a provider's subject to a user (one per
 * provider and user). `external_sign_in_states` keeps what a begun sign-in must match when the provider sends the
 * person back (state hashed, nonce, PKCE verifier), single use and short-lived. `account_tokens` holds hashes of the
 * single-use tokens mailed for e-mail verification and password reset.
 */
export class AddExternalSignIn1796210000000 implements MigrationInterface {
  name = 'AddExternalSignIn1796210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN email varchar(254) CHECK (email = lower(email)),
        ADD COLUMN email_verified_at timestamptz,
        ADD COLUMN requires_email_verification boolean NOT NULL DEFAULT false,
        ADD COLUMN locale varchar(5) NOT NULL DEFAULT 'zh' CHECK (locale IN ('zh', 'en')),
        ADD COLUMN institution varchar(200),
        ADD COLUMN affiliation varchar(20) CHECK (affiliation IN ('academic', 'enterprise', 'internal')),
        ADD COLUMN affiliation_verified boolean NOT NULL DEFAULT false,
        ALTER COLUMN password_hash DROP NOT NULL`);
    await queryRunner.query('CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE external_identities (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        provider varchar(32) NOT NULL,
        subject varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz,
        UNIQUE (provider, subject),
        UNIQUE (user_id, provider)
      )`);
    await queryRunner.query(`
      CREATE TABLE external_sign_in_states (
        state_hash char(64) PRIMARY KEY,
        provider varchar(32) NOT NULL,
        purpose varchar(10) NOT NULL CHECK (purpose IN ('sign_in', 'link')),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        redirect_uri text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CHECK ((purpose = 'link') = (user_id IS NOT NULL))
      )`);
    await queryRunner.query('CREATE INDEX external_sign_in_states_expires_idx ON external_sign_in_states (expires_at)');
    await queryRunner.query(`
      CREATE TABLE account_tokens (
        token_hash char(64) PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE account_tokens');
    await queryRunner.query('DROP TABLE external_sign_in_states');
    await queryRunner.query('DROP TABLE external_identities');
    await queryRunner.query('DROP INDEX users_email_key');
    // Accounts without a password signed in only through a provider, which the older schema cannot express: they are kept, disabled.
    await queryRunner.query(`UPDATE users SET disabled = true, password_hash = '!' WHERE password_hash IS NULL`);
    await queryRunner.query(`
      ALTER TABLE users
        ALTER COLUMN password_hash SET NOT NULL,
        DROP COLUMN affiliation_verified,
        DROP COLUMN affiliation,
        DROP COLUMN institution,
        DROP COLUMN locale,
        DROP COLUMN requires_email_verification,
        DROP COLUMN email_verified_at,
        DROP COLUMN email`);
  }
}
