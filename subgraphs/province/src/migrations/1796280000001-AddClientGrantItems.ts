import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recognition items a service-provider client delivers, as the granting province registers them (a hospital its
 * medical item, an exit-entry bureau its own): the province answers such a client only those of its services.
 */
export class AddClientGrantItems1796280000001 implements MigrationInterface {
  name = 'AddClientGrantItems1796280000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE client_grants ADD COLUMN recognition_items text[] NOT NULL DEFAULT '{}'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE client_grants DROP COLUMN recognition_items');
  }
}
