import type { DataSource } from 'typeorm';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { MailNotificationRepository } from '../MailNotificationRepository';

/**
 * A claim of due notifications reads the due ones, not the province's whole mail history: the table keeps every
 * notification ever sent, and a claim runs after every committed event. Counted from PostgreSQL's own statistics of
 * the rows the claim's statement fetched.
 */
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createProvinceDataSource(PROVINCES.chongqing, testSystem().databaseUrls.chongqing, 2);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

const FINISHED = 5_000;
const DUE = 500;

/** Notifications (each with its event) in sequence order: `FINISHED` sent long ago, then `DUE` waiting. */
async function fillHistory(): Promise<void> {
  await dataSource.query(`
    WITH written AS (
      INSERT INTO events (sequence, id, type, entity_type, entity_id, occurred_at, state)
      SELECT nextval('event_sequence'), gen_random_uuid(), 'booking.confirmed', 'booking', 'cq:booking:claim-test-' || g, now(), '{}'
        FROM generate_series(1, $1::int + $2::int) g
      RETURNING sequence, entity_id)
    INSERT INTO mail_notifications (event_sequence, entity_id, state, next_attempt_at, finished_at)
    SELECT sequence, entity_id,
           CASE WHEN row_number() OVER (ORDER BY sequence) <= $1 THEN 'SENT' ELSE 'PENDING' END,
           now() - interval '1 hour',
           CASE WHEN row_number() OVER (ORDER BY sequence) <= $1 THEN now() - interval '1 hour' END
      FROM written`, [FINISHED, DUE]);
  await dataSource.query('ANALYZE mail_notifications');
}

/** Rows of mail_notifications fetched through its indexes and read by sequential scans, in PostgreSQL's statistics. */
async function rowsRead(): Promise<number> {
  await dataSource.query('SELECT pg_stat_clear_snapshot()');
  const [row] = await dataSource.query(
    "SELECT coalesce(idx_tup_fetch, 0) + seq_tup_read AS n FROM pg_stat_user_tables WHERE relname = 'mail_notifications'",
  );
  return Number(row.n);
}

it('reads about as many notifications as it claims, however many were sent before', async () => {
  await fillHistory();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const before = await rowsRead();
    await runner.startTransaction();
    const claimed = await new MailNotificationRepository(runner.manager).claimDue(10, 60_000);
    await runner.commitTransaction();
    // The claim's counts reach the shared statistics now, not when its connection next goes idle.
    await runner.query('SELECT pg_stat_force_next_flush()');
    await runner.query('SELECT 1');

    expect(claimed).toHaveLength(10);
    const read = (await rowsRead()) - before;
    // 10 claimed and updated, the rows locked: dozens; the 5,000 sent before were read by every claim when it
    // ordered by sequence alone.
    expect(read).toBeLessThan(200);
  } finally {
    await runner.release();
  }
});
