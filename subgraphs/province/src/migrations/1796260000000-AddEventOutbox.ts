import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: events written in the transaction of the change they describe,
 * numbered in commit order; webhook subscriptions of partner clients; and one delivery row per
 * subscription and event, which the delivery worker claims (`FOR UPDATE SKIP LOCKED`), retries and
 * finally marks delivered or dead.
 */
export class AddEventOutbox1796260000000 implements MigrationInterface {
  name = 'AddEventOutbox1796260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SEQUENCE event_sequence');
    await queryRunner.query(`
      CREATE TABLE events (
        sequence bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        type varchar(60) NOT NULL,
        entity_type varchar(40) NOT NULL,
        entity_id varchar(100) NOT NULL,
        occurred_at timestamptz NOT NULL,
        state jsonb NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX events_occurred_at ON events (occurred_at)');
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        client_id varchar(100) NOT NULL,
        url varchar(2048) NOT NULL,
        event_types text[] NOT NULL,
        secret varchar(100) NOT NULL,
        description varchar(200),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by varchar(100) NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX webhook_subscriptions_client ON webhook_subscriptions (client_id)');
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        event_sequence bigint NOT NULL REFERENCES events (sequence),
        entity_id varchar(100) NOT NULL,
        state varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status integer,
        last_error varchar(500),
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, event_sequence) WHERE state = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_entity ON webhook_deliveries (subscription_id, entity_id, event_sequence) WHERE state = 'PENDING'`,
    );
    await queryRunner.query('CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE webhook_deliveries');
    await queryRunner.query('DROP TABLE webhook_subscriptions');
    await queryRunner.query('DROP TABLE events');
    await queryRunner.query('DROP SEQUENCE event_sequence');
  }
}
