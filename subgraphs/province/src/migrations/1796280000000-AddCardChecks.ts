import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Talent-card checks bound to the holder. `card_verification_codes`: the short-lived codes a holder shows a
 * provider, stored as a SHA-256 hash only, each bound to one card and used at most once (`used_at` set by one
 * atomic UPDATE). `card_checks`: every check of this province's cards, by code or by bare number, with who asked,
 * through which client, from which province, when, and the result (refusals included), for this province's admins.
 */
export class AddCardChecks1796280000000 implements MigrationInterface {
  name = 'AddCardChecks1796280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE card_verification_codes (
        id uuid PRIMARY KEY,
        card_id uuid NOT NULL REFERENCES talent_cards (id),
        code_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_request_id varchar(100),
        used_by varchar(100),
        CHECK (expires_at > created_at),
        CHECK ((used_at IS NULL) = (used_request_id IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX card_verification_codes_card ON card_verification_codes (card_id, created_at DESC)');
    await queryRunner.query(`
      CREATE TABLE card_checks (
        id bigserial PRIMARY KEY,
        checked_at timestamptz NOT NULL DEFAULT now(),
        method varchar(10) NOT NULL CHECK (method IN ('CODE', 'NUMBER')),
        card_number varchar(40),
        result varchar(30) NOT NULL,
        actor_kind varchar(10) NOT NULL CHECK (actor_kind IN ('user', 'client')),
        actor_id varchar(100) NOT NULL,
        actor_name varchar(200),
        client_id varchar(64),
        asker_province varchar(20),
        request_id varchar(100) NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX card_checks_card ON card_checks (card_number, id DESC)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE card_checks');
    await queryRunner.query('DROP TABLE card_verification_codes');
  }
}
