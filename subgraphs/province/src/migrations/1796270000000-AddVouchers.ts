import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Innovation vouchers, both sides of redeeming one across the border:
 *
 * - the ISSUER's rows: `vouchers` (the balance, split into what is available,
 *   held, captured and expired, which always add up to what was issued),
 *   `voucher_holds` (a reservation for a charge in a serving province, keyed by
 *   the serving side's hold key) and `voucher_events` (the history);
 * - the SERVER's rows: `voucher_redemptions` (its intent, written before it
 *   asks the issuer, so a restart can finish or undo it) and `voucher_charges`
 *   (the minimal charge ledger until charges carry their voucher part).
 *
 * Money is integer fen (bigint). The CHECKs make an overspent or negative
 * balance impossible whatever the code does.
 */
export class AddVouchers1796270000000 implements MigrationInterface {
  name = 'AddVouchers1796270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE vouchers (
        id uuid PRIMARY KEY,
        holder_user_id uuid NOT NULL,
        holder_name varchar(200) NOT NULL,
        issued_fen bigint NOT NULL CHECK (issued_fen > 0),
        available_fen bigint NOT NULL CHECK (available_fen >= 0),
        held_fen bigint NOT NULL DEFAULT 0 CHECK (held_fen >= 0),
        captured_fen bigint NOT NULL DEFAULT 0 CHECK (captured_fen >= 0),
        expired_fen bigint NOT NULL DEFAULT 0 CHECK (expired_fen >= 0),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        accepted_in varchar(20)[] NOT NULL,
        max_share_percent integer NOT NULL CHECK (max_share_percent BETWEEN 1 AND 100),
        issued_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT vouchers_balance_adds_up CHECK (available_fen + held_fen + captured_fen + expired_fen = issued_fen),
        CONSTRAINT vouchers_valid_period CHECK (valid_until > valid_from)
      )`);
    await queryRunner.query('CREATE INDEX vouchers_holder ON vouchers (holder_user_id)');
    await queryRunner.query(`
      CREATE TABLE voucher_holds (
        id uuid PRIMARY KEY,
        voucher_id uuid NOT NULL REFERENCES vouchers (id),
        hold_key uuid NOT NULL UNIQUE,
        serving_province varchar(20) NOT NULL,
        charge_ref varchar(100) NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        charge_amount_fen bigint NOT NULL CHECK (charge_amount_fen >= 0),
        status varchar(20) NOT NULL CHECK (status IN ('HELD', 'CAPTURED', 'RELEASED')),
        release_reason varchar(20),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        captured_at timestamptz,
        released_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX voucher_holds_voucher ON voucher_holds (voucher_id)');
    await queryRunner.query("CREATE INDEX voucher_holds_pending ON voucher_holds (expires_at) WHERE status = 'HELD'");
    await queryRunner.query('CREATE INDEX voucher_holds_captured ON voucher_holds (captured_at) WHERE captured_at IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE voucher_events (
        id bigserial PRIMARY KEY,
        voucher_id uuid NOT NULL REFERENCES vouchers (id),
        kind varchar(20) NOT NULL,
        amount_fen bigint NOT NULL,
        available_after_fen bigint NOT NULL,
        hold_id uuid REFERENCES voucher_holds (id),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX voucher_events_voucher ON voucher_events (voucher_id, id)');
    await queryRunner.query(`
      CREATE TABLE voucher_redemptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        idempotency_key varchar(100) NOT NULL,
        charge_ref varchar(100) NOT NULL,
        voucher_id varchar(100) NOT NULL,
        issuer varchar(20) NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        charge_amount_fen bigint NOT NULL CHECK (charge_amount_fen > 0),
        state varchar(20) NOT NULL CHECK (state IN ('INTENDED', 'RESERVED', 'CAPTURED', 'RELEASED', 'REFUSED')),
        hold_id varchar(100),
        issuer_captured_at timestamptz,
        failure varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT voucher_redemptions_key UNIQUE (user_id, idempotency_key)
      )`);
    await queryRunner.query("CREATE INDEX voucher_redemptions_pending ON voucher_redemptions (updated_at) WHERE state IN ('INTENDED', 'RESERVED')");
    await queryRunner.query('CREATE INDEX voucher_redemptions_captured ON voucher_redemptions (issuer_captured_at) WHERE issuer_captured_at IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE voucher_charges (
        charge_ref varchar(100) PRIMARY KEY,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        voucher_pending_fen bigint NOT NULL DEFAULT 0 CHECK (voucher_pending_fen >= 0),
        voucher_captured_fen bigint NOT NULL DEFAULT 0 CHECK (voucher_captured_fen >= 0),
        CONSTRAINT voucher_charges_not_overpaid CHECK (voucher_pending_fen + voucher_captured_fen <= amount_fen)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE voucher_charges');
    await queryRunner.query('DROP TABLE voucher_redemptions');
    await queryRunner.query('DROP TABLE voucher_events');
    await queryRunner.query('DROP TABLE voucher_holds');
    await queryRunner.query('DROP TABLE vouchers');
  }
}
