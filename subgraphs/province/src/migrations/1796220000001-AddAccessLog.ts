import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log: every read of this province's private data (bookings, talent cards, card checks, the audit log)
 * and every write, with who, through which client, when, what and the request id. Append-only for the service's
 * own role: its UPDATE, DELETE and TRUNCATE privileges are revoked, and triggers refuse those statements from
 * anyone who would grant them back. Nothing here deletes rows, so the log is kept as long as the database is.
 *
 * Reads of the public catalogue are not logged row by row: `catalogue_reads` counts them per reader per China day.
 */
export class AddAccessLog1796220000001 implements MigrationInterface {
  name = 'AddAccessLog1796220000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        request_id varchar(100) NOT NULL,
        kind varchar(5) NOT NULL CHECK (kind IN ('read', 'write')),
        actor_kind varchar(9) NOT NULL CHECK (actor_kind IN ('user', 'client', 'anonymous')),
        actor_id varchar(200),
        actor_name varchar(200),
        client_id varchar(64),
        operation varchar(200) NOT NULL,
        operation_name varchar(200),
        entity_type varchar(80) NOT NULL,
        entity_ids text[] NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX access_log_at_idx ON access_log (at)');
    await queryRunner.query('CREATE INDEX access_log_actor_idx ON access_log (actor_id, id)');
    await queryRunner.query('CREATE INDEX access_log_client_idx ON access_log (client_id, id) WHERE client_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX access_log_entity_ids_idx ON access_log USING gin (entity_ids)');
    await queryRunner.query(`
      CREATE FUNCTION access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query('CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_is_append_only()');
    await queryRunner.query('CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_is_append_only()');
    await queryRunner.query('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON access_log FROM CURRENT_USER');
    await queryRunner.query(`
      CREATE TABLE catalogue_reads (
        day date NOT NULL,
        reader varchar(80) NOT NULL,
        requests bigint NOT NULL CHECK (requests >= 0),
        records bigint NOT NULL CHECK (records >= 0),
        PRIMARY KEY (day, reader)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE catalogue_reads');
    await queryRunner.query('DROP TABLE access_log');
    await queryRunner.query('DROP FUNCTION access_log_is_append_only()');
  }
}
