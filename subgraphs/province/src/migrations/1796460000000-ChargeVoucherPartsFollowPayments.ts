import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A charge's voucher parts follow its voucher payments in the database: when a payment (`voucher_redemptions` with a
 * `charge_id`) is written or changes state, the same statement moves its amount between the charge's
 * `voucher_pending_fen` (INTENDED, RESERVED) and `voucher_captured_fen` (CAPTURED), or out of both (RELEASED,
 * REFUSED), as OneChargeLedger first summed them. Before, the service moved the parts itself in each step's
 * transaction: two statements and a transaction where a step is now one, and no write of a payment can leave its
 * charge's parts behind. A paid part never goes back: a payment leaving CAPTURED is refused (a refund is a credit
 * on the charge). Payments without a `charge_id` (recorded against the minimal ledger) move nothing, as before.
 */
export class ChargeVoucherPartsFollowPayments1796460000000 implements MigrationInterface {
  name = 'ChargeVoucherPartsFollowPayments1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION charge_voucher_parts_follow_payment() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_pending boolean := TG_OP = 'UPDATE' AND OLD.state IN ('INTENDED', 'RESERVED');
        was_captured boolean := TG_OP = 'UPDATE' AND OLD.state = 'CAPTURED';
        is_pending boolean := NEW.state IN ('INTENDED', 'RESERVED');
        is_captured boolean := NEW.state = 'CAPTURED';
      BEGIN
        IF was_captured AND NOT is_captured THEN
          RAISE EXCEPTION 'the voucher part of charge % was paid; a refund is a credit on the charge', NEW.charge_ref
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.charge_id IS NOT NULL AND (was_pending <> is_pending OR was_captured <> is_captured) THEN
          UPDATE charges
             SET voucher_pending_fen = voucher_pending_fen + NEW.amount_fen * (is_pending::int - was_pending::int),
                 voucher_captured_fen = voucher_captured_fen + NEW.amount_fen * (is_captured::int - was_captured::int)
           WHERE id = NEW.charge_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER voucher_redemptions_move_charge_parts AFTER INSERT OR UPDATE OF state ON voucher_redemptions
        FOR EACH ROW EXECUTE FUNCTION charge_voucher_parts_follow_payment()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER voucher_redemptions_move_charge_parts ON voucher_redemptions');
    await queryRunner.query('DROP FUNCTION charge_voucher_parts_follow_payment()');
  }
}
