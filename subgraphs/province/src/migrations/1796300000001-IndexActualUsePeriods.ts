import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Utilisation and the evaluation both read the actual use overlapping a period (`actual_start < to AND actual_end >
 * from`, every instrument): an index on the end finds the uses of a recent period without reading a year of them.
 */
export class IndexActualUsePeriods1796300000001 implements MigrationInterface {
  name = 'IndexActualUsePeriods1796300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX bookings_actual_end_idx ON bookings (actual_end) INCLUDE (actual_start, instrument_id) WHERE actual_end IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX bookings_actual_end_idx');
  }
}
