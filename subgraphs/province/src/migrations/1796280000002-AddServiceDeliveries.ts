import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Services this province's providers delivered to holders of the partner's card: one row per redemption, written by
 * the granting province when its provider redeems an item with the holder's code, apart from the checks (look-ups).
 * A provider's idempotency key is unique to it: a redemption repeated with its key records one delivery.
 */
export class AddServiceDeliveries1796280000002 implements MigrationInterface {
  name = 'AddServiceDeliveries1796280000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE service_deliveries (
        id uuid PRIMARY KEY,
        item_code varchar(40) NOT NULL,
        card_number varchar(40) NOT NULL,
        card_tier char(1) NOT NULL CHECK (card_tier IN ('A', 'B', 'C', 'D')),
        code_hash char(64) NOT NULL,
        actor_id varchar(100) NOT NULL,
        actor_name varchar(200),
        client_id varchar(64),
        idempotency_key varchar(100) NOT NULL,
        request_id varchar(100) NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (actor_id, idempotency_key)
      )`);
    await queryRunner.query('CREATE INDEX service_deliveries_at ON service_deliveries (delivered_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE service_deliveries');
  }
}
