import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The lock that serialises numbering events (its value spells "SCEV"), as the outbox took it before. */
const OUTBOX_LOCK = 0x5343_4556;

/**
 * Events are numbered as their transaction commits, not when the service writes them.
 *
 * Sequence numbers must follow commit order, so that a reader who has seen event n has seen every event before it.
 * The outbox used to take one lock per province when it wrote a transaction's events and hold it until the commit
 * ended. That span included a round trip from PostgreSQL to the service and back, and so the service's event-loop
 * delay: under load, every write of a province queued behind it (13 ms a booking on average at 10 connections).
 *
 * Now a unit of work writes its events to `outbox_pending`, without a lock. A deferred constraint trigger runs at
 * COMMIT and does what the outbox did: it takes the same lock, moves each event to `events` with the next sequence
 * number, and adds its webhook deliveries and mail. The lock is held only for that work and the commit itself. A
 * pending row lives only inside its transaction: it is deleted at the commit that publishes it, or rolled back.
 */
export class NumberEventsAtCommit1796440000000 implements MigrationInterface {
  name = 'NumberEventsAtCommit1796440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_pending (
        id uuid PRIMARY KEY,
        type varchar(60) NOT NULL,
        entity_type varchar(40) NOT NULL,
        entity_id varchar(100) NOT NULL,
        state jsonb NOT NULL,
        mails_requester boolean NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION publish_pending_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${OUTBOX_LOCK});
        WITH pending AS (DELETE FROM outbox_pending WHERE id = NEW.id RETURNING *),
             written AS (
               INSERT INTO events (sequence, id, type, entity_type, entity_id, occurred_at, state)
               SELECT nextval('event_sequence'), p.id, p.type, p.entity_type, p.entity_id, now(), p.state FROM pending p
               RETURNING sequence, type, entity_id),
             deliveries AS (
               INSERT INTO webhook_deliveries (subscription_id, event_sequence, entity_id)
               SELECT s.id, w.sequence, w.entity_id FROM written w JOIN webhook_subscriptions s ON w.type = ANY (s.event_types))
        INSERT INTO mail_notifications (event_sequence, entity_id)
        SELECT w.sequence, w.entity_id FROM written w WHERE NEW.mails_requester;
        RETURN NULL;
      END $$`);
    // Row by row, in the order written: a unit of work's events keep their order.
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER outbox_pending_publish AFTER INSERT ON outbox_pending
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION publish_pending_event()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER outbox_pending_publish ON outbox_pending');
    await queryRunner.query('DROP FUNCTION publish_pending_event()');
    await queryRunner.query('DROP TABLE outbox_pending');
  }
}
