import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the filters and sorts the registry's hot queries use, so their
 * cost stays flat as a province's registry grows (`npm run bench` measures it).
 */
export class AddQueryIndexes1795613053997 implements MigrationInterface {
  name = 'AddQueryIndexes1795613053997';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Instrument pages are cut in (name, id) order. These keep that order and also carry search_text, so a
    // keyword search reads the index in order, checks the keyword there (index-only) and stops after one
    // page of matches, however many rows match. They replace the (name, id) and (category_code, name, id)
    // indexes, whose keys they keep.
    await queryRunner.query('CREATE INDEX instruments_name_search_idx ON instruments (name, id) INCLUDE (search_text)');
    await queryRunner.query('CREATE INDEX instruments_category_search_idx ON instruments (category_code, name, id) INCLUDE (search_text)');
    await queryRunner.query('DROP INDEX instruments_category_idx');
    await queryRunner.query('DROP INDEX instruments_name_idx');
    // Bookings of a period (stats: per day, utilisation): the periods of bookings that take an instrument's time.
    await queryRunner.query(`
      CREATE INDEX bookings_active_period_idx ON bookings USING gist (tstzrange(starts_at, ends_at, '[)'))
        WHERE status IN ('REQUESTED', 'CONFIRMED', 'COMPLETED')`);
    // Bookings by start: counts by status over a period (index-only) and the admins' pages in (starts_at, id) order.
    await queryRunner.query('CREATE INDEX bookings_starts_idx ON bookings (starts_at, id) INCLUDE (status)');
    // The approval queue: one status in (starts_at, id) order.
    await queryRunner.query('CREATE INDEX bookings_status_starts_idx ON bookings (status, starts_at, id)');
    // Dashboard figures read these narrow indexes (index-only) instead of every wide instrument or card row:
    // instruments by category and status and by opening hours; an instrument's category for its bookings; cards by tier and status.
    await queryRunner.query('CREATE INDEX instruments_stats_idx ON instruments (status, category_code, open_from_hour, open_to_hour) INCLUDE (id)');
    await queryRunner.query('CREATE INDEX instruments_category_of_idx ON instruments (id) INCLUDE (category_code)');
    await queryRunner.query('CREATE INDEX talent_cards_stats_idx ON talent_cards (tier, status, valid_until)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX talent_cards_stats_idx');
    await queryRunner.query('DROP INDEX instruments_category_of_idx');
    await queryRunner.query('DROP INDEX instruments_stats_idx');
    await queryRunner.query('DROP INDEX bookings_status_starts_idx');
    await queryRunner.query('DROP INDEX bookings_starts_idx');
    await queryRunner.query('DROP INDEX bookings_active_period_idx');
    await queryRunner.query('CREATE INDEX instruments_name_idx ON instruments (name, id)');
    await queryRunner.query('CREATE INDEX instruments_category_idx ON instruments (category_code, name, id)');
    await queryRunner.query('DROP INDEX instruments_category_search_idx');
    await queryRunner.query('DROP INDEX instruments_name_search_idx');
  }
}
