import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evaluation is read a page of instruments at a time, by owner institution, then name, then id: an index in
 * that order walks to a page's cursor instead of sorting every instrument for each page. Its figures reach a page's
 * service requests through their offerings, which nothing indexed until now.
 */
export class IndexEvaluationPages1796410000000 implements MigrationInterface {
  name = 'IndexEvaluationPages1796410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX instruments_institution_name_idx ON instruments (institution, name, id)');
    await queryRunner.query('CREATE INDEX service_requests_offering_idx ON service_requests (offering_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX service_requests_offering_idx');
    await queryRunner.query('DROP INDEX instruments_institution_name_idx');
  }
}
