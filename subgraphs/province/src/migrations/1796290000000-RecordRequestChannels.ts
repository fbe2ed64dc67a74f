import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The channel a booking or service request came through: the person themselves (DIRECT), or a partner client acting
 * for them with their consent (PARTNER_CLIENT, naming the client). Rows made before it was kept were made directly.
 */
export class RecordRequestChannels1796290000000 implements MigrationInterface {
  name = 'RecordRequestChannels1796290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bookings', 'service_requests']) {
      await queryRunner.query(`
        ALTER TABLE ${table}
          ADD COLUMN channel varchar(20) NOT NULL DEFAULT 'DIRECT' CHECK (channel IN ('DIRECT', 'PARTNER_CLIENT')),
          ADD COLUMN channel_client_id varchar(64),
          ADD CONSTRAINT ${table}_channel_client CHECK ((channel = 'PARTNER_CLIENT') = (channel_client_id IS NOT NULL))`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['service_requests', 'bookings']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_channel_client, DROP COLUMN channel_client_id, DROP COLUMN channel`);
    }
  }
}
