import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh tokens, stored only as SHA-256 hashes, grouped in families (one per
 * sign-in) so that a rotation or a revocation is one row update.
 */
export class CreateRefreshTokens1764200000000 implements MigrationInterface {
  name = 'CreateRefreshTokens1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)');
    await queryRunner.query('CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX refresh_tokens_user_idx');
    await queryRunner.query('DROP INDEX refresh_tokens_family_idx');
    await queryRunner.query('DROP TABLE refresh_tokens');
  }
}
