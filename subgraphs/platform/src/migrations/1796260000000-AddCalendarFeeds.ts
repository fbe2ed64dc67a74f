import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secret, revocable calendar addresses of people: only the SHA-256 of each secret is kept. */
export class AddCalendarFeeds1796260000000 implements MigrationInterface {
  name = 'AddCalendarFeeds1796260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calendar_feeds (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE calendar_feeds');
  }
}
