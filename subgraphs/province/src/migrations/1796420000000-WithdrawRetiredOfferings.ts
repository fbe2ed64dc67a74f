import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retiring an instrument or closing a lab now withdraws its offerings in the same transaction. Offerings of
 * instruments retired and labs closed before that stayed active, requestable and listed in the catalogue: they are
 * withdrawn here, each with an audit record naming why (the offering's own id in `details`: a migration does not know
 * its province's id prefix), by which `down` finds exactly those to offer again.
 */
export class WithdrawRetiredOfferings1796420000000 implements MigrationInterface {
  name = 'WithdrawRetiredOfferings1796420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      WITH withdrawn AS (
        UPDATE offerings o SET active = false, updated_at = now()
        WHERE o.active AND (
          EXISTS (SELECT 1 FROM instruments i WHERE i.id = o.instrument_id AND i.status = 'RETIRED')
          OR EXISTS (SELECT 1 FROM labs l WHERE l.id = o.lab_id AND l.retired_at IS NOT NULL)
        )
        RETURNING o.id
      )
      INSERT INTO audit_log (actor_id, actor_name, action, entity_type, entity_id, details)
      SELECT 'system', 'Migration WithdrawRetiredOfferings', 'offering.withdrawn', 'offering', NULL,
             jsonb_build_object('offeringId', w.id, 'reason', 'its instrument was retired or its lab closed', 'migration', '${this.name}')
      FROM withdrawn w`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      WITH restored AS (
        DELETE FROM audit_log WHERE action = 'offering.withdrawn' AND details->>'migration' = '${this.name}' RETURNING details->>'offeringId' AS offering_id
      )
      UPDATE offerings o SET active = true FROM restored r WHERE o.id::text = r.offering_id`);
  }
}
