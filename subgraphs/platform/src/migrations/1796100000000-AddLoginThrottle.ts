import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-in counts, shared by every platform replica (they lived in each
 * process before). One row per counter: `pair` counts one account from one
 * address block, `account` one account from every unknown address, `address`
 * one address block over every account (services/LoginThrottle.ts). A pair row
 * also remembers the last success from there, which makes that address known
 * to the account. `expires_at` is when a row stops meaning anything, so old
 * rows can be deleted by an index range. `account` is text: a username
 * within the 256 characters login accepts can grow when lower-cased.
 */
export class AddLoginThrottle1796100000000 implements MigrationInterface {
  name = 'AddLoginThrottle1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_throttle (
        scope varchar(10) NOT NULL CHECK (scope IN ('pair', 'account', 'address')),
        account text NOT NULL,
        address text NOT NULL,
        failures integer NOT NULL CHECK (failures >= 0),
        window_ends_at timestamptz NOT NULL,
        last_success_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, account, address)
      )`);
    await queryRunner.query('CREATE INDEX login_throttle_expires_idx ON login_throttle (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX login_throttle_expires_idx');
    await queryRunner.query('DROP TABLE login_throttle');
  }
}
