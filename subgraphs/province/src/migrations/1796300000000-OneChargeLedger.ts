import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Voucher payments pay the province's real charges: a charge keeps what vouchers hold for it and what they
 * paid (`voucher_pending_fen`, `voucher_captured_fen`, moved in the same transaction as the payment's step), and
 * each payment names the charge it pays (`voucher_redemptions.charge_id`). The minimal ledger's table
 * `voucher_charges` and the single voucher part a charge carried (never written) go.
 *
 * A payment whose `charge_ref` names a charge here is linked to it and its part carried onto the charge; other
 * payments recorded against the minimal ledger keep their `charge_ref` and have no `charge_id`: their money moved
 * on the issuer and both settlement reports still count them.
 */
export class OneChargeLedger1796300000000 implements MigrationInterface {
  name = 'OneChargeLedger1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE charges
        DROP COLUMN voucher_id, DROP COLUMN voucher_hold_id, DROP COLUMN voucher_amount_fen, DROP COLUMN voucher_status,
        ADD COLUMN voucher_pending_fen bigint NOT NULL DEFAULT 0 CONSTRAINT charges_voucher_pending CHECK (voucher_pending_fen >= 0),
        ADD COLUMN voucher_captured_fen bigint NOT NULL DEFAULT 0 CONSTRAINT charges_voucher_captured CHECK (voucher_captured_fen >= 0)`);
    await queryRunner.query('ALTER TABLE voucher_redemptions ADD COLUMN charge_id uuid REFERENCES charges (id)');
    await queryRunner.query('CREATE INDEX voucher_redemptions_charge ON voucher_redemptions (charge_id, created_at) WHERE charge_id IS NOT NULL');
    // A payment whose reference is the global id of a charge here (`sc:charge:<id>`) pays that charge: link it and
    // carry its part onto the charge. Compared as text, so a reference of any other shape is left alone.
    await queryRunner.query(`
      UPDATE voucher_redemptions r SET charge_id = c.id FROM charges c
       WHERE split_part(r.charge_ref, ':', 2) = 'charge' AND split_part(r.charge_ref, ':', 3) = c.id::text`);
    await queryRunner.query(`
      UPDATE charges c SET voucher_pending_fen = p.pending, voucher_captured_fen = p.captured
        FROM (SELECT charge_id,
                     coalesce(sum(amount_fen) FILTER (WHERE state IN ('INTENDED', 'RESERVED')), 0) AS pending,
                     coalesce(sum(amount_fen) FILTER (WHERE state = 'CAPTURED'), 0) AS captured
                FROM voucher_redemptions WHERE charge_id IS NOT NULL GROUP BY charge_id) AS p
       WHERE p.charge_id = c.id`);
    await queryRunner.query('DROP TABLE voucher_charges');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE voucher_charges (
        charge_ref varchar(100) PRIMARY KEY,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        voucher_pending_fen bigint NOT NULL DEFAULT 0 CHECK (voucher_pending_fen >= 0),
        voucher_captured_fen bigint NOT NULL DEFAULT 0 CHECK (voucher_captured_fen >= 0),
        CONSTRAINT voucher_charges_not_overpaid CHECK (voucher_pending_fen + voucher_captured_fen <= amount_fen)
      )`);
    // Every payment's charge, as the minimal ledger kept it: the amount its payments stated, and their parts.
    await queryRunner.query(`
      INSERT INTO voucher_charges (charge_ref, amount_fen, voucher_pending_fen, voucher_captured_fen)
      SELECT charge_ref, max(charge_amount_fen),
             coalesce(sum(amount_fen) FILTER (WHERE state IN ('INTENDED', 'RESERVED')), 0),
             coalesce(sum(amount_fen) FILTER (WHERE state = 'CAPTURED'), 0)
      FROM voucher_redemptions GROUP BY charge_ref`);
    await queryRunner.query('DROP INDEX voucher_redemptions_charge');
    await queryRunner.query('ALTER TABLE voucher_redemptions DROP COLUMN charge_id');
    await queryRunner.query(`
      ALTER TABLE charges
        DROP COLUMN voucher_captured_fen, DROP COLUMN voucher_pending_fen,
        ADD COLUMN voucher_id varchar(100),
        ADD COLUMN voucher_hold_id varchar(100),
        ADD COLUMN voucher_amount_fen bigint CHECK (voucher_amount_fen > 0),
        ADD COLUMN voucher_status varchar(10) CHECK (voucher_status IN ('PENDING', 'CAPTURED', 'RELEASED')),
        ADD CHECK ((voucher_id IS NULL) = (voucher_amount_fen IS NULL) AND (voucher_id IS NULL) = (voucher_status IS NULL))`);
  }
}
