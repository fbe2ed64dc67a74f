import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail to people about their bookings and service requests: one row per outbox event that a person is told about,
 * written with the event (so in the same transaction as the change), claimed by the notification worker with a lease,
 * and finally SENT, SKIPPED (the person has no address to mail, or turned mail off) or DEAD after its last attempt.
 */
export class AddMailNotifications1796310000000 implements MigrationInterface {
  name = 'AddMailNotifications1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mail_notifications (
        id bigserial PRIMARY KEY,
        event_sequence bigint NOT NULL UNIQUE REFERENCES events (sequence),
        entity_id varchar(100) NOT NULL,
        state varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'SKIPPED', 'DEAD')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error varchar(500),
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX mail_notifications_due ON mail_notifications (next_attempt_at, event_sequence) WHERE state = 'PENDING'`);
    await queryRunner.query(`CREATE INDEX mail_notifications_entity ON mail_notifications (entity_id, event_sequence) WHERE state = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE mail_notifications');
  }
}
