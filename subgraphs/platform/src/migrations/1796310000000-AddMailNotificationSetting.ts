import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether a person wants mail about their bookings and service requests (on unless they turn it off). */
export class AddMailNotificationSetting1796310000000 implements MigrationInterface {
  name = 'AddMailNotificationSetting1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN mail_notifications boolean NOT NULL DEFAULT true');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users DROP COLUMN mail_notifications');
  }
}
