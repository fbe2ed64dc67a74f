import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What this province lets each partner client do with its own data: the scopes it grants, whoever the
 * platform registered the client for. A client's effective scopes here are its token's scopes and this
 * grant together (clientGrants/ClientGrantService.ts); no row, no scope.
 */
export class AddClientGrants1796220000000 implements MigrationInterface {
  name = 'AddClientGrants1796220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE client_grants (
        client_id varchar(64) PRIMARY KEY,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        granted_by varchar(200) NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE client_grants');
  }
}
