import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1764000000000 implements MigrationInterface {
  name = 'CreateIdentity1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username varchar(64) NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        display_name varchar(120) NOT NULL,
        home_province varchar(20) CHECK (home_province IN ('sichuan', 'chongqing')),
        roles text[] NOT NULL CHECK (roles <@ ARRAY['researcher', 'province_admin', 'platform_admin', 'partner']),
        password_hash varchar(255) NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE partner_clients (
        id uuid PRIMARY KEY,
        client_id varchar(64) NOT NULL UNIQUE,
        name varchar(120) NOT NULL,
        secret_hash varchar(255) NOT NULL,
        scopes text[] NOT NULL DEFAULT '{}',
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE partner_clients');
    await queryRunner.query('DROP TABLE users');
  }
}
