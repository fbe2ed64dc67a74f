import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking's history names who acted by display name, so researchers see a
 * name and never a staff member's account (id, username, roles). Events
 * written before this take the name their audit entry recorded in the same
 * transaction (same action, actor and time); events with none, such as
 * seeded demo history, say that no name was recorded.
 */
export class AddBookingEventActorNames1796100000000 implements MigrationInterface {
  name = 'AddBookingEventActorNames1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE booking_events ADD COLUMN actor_name varchar(200)');
    await queryRunner.query(`
      UPDATE booking_events e SET actor_name = a.actor_name
      FROM audit_log a
      WHERE a.entity_type = 'booking'
        AND split_part(a.entity_id, ':', 3) = e.booking_id::text
        AND a.action = 'booking.' || lower(e.status)
        AND a.actor_id = e.actor_id
        AND a.at = e.at`);
    await queryRunner.query(`UPDATE booking_events SET actor_name = '(name not recorded)' WHERE actor_name IS NULL`);
    await queryRunner.query('ALTER TABLE booking_events ALTER COLUMN actor_name SET NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE booking_events DROP COLUMN actor_name');
  }
}
