import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { closePools, createInstrument, localIdOf, localTime, newKey, sql } from '../support/registryFixtures';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

/*
 * Issue #17 (12): the database connection of a unit of work dies in the
 * middle of it. The answer is SERVICE_UNAVAILABLE with a message a person can
 * act on, nothing is written, and the same request succeeds once retried.
 *
 * The booking's transaction is held at a known point by a lock this test
 * takes on the instrument, and its backend is then terminated from an admin
 * connection, either while it waits for that lock (mid-statement) or just
 * after it got it (between two statements, when pg reports the loss to
 * TypeORM, which releases the query runner: the next statement fails with
 * QueryRunnerAlreadyReleasedError).
 */

const BOOK = `mutation($i: ID!, $s: DateTime!, $e: DateTime!, $p: String!, $k: String!) {
  booking: bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: $p, idempotencyKey: $k) { id status }
}`;

/** The admin (superuser) URL, on this file's Sichuan database. */
function adminUrlOfSichuan(): string {
  const url = new URL(testSystem().postgresAdminUrl);
  url.pathname = new URL(testSystem().databaseUrls.sichuan).pathname;
  return url.toString();
}

/**
 * Run in a child process while this one stands still (execFileSync): the
 * subgraph, in this process, cannot send its next statement, so the booking's
 * backend finishes the one that was waiting and sits idle in its transaction
 * when it is terminated.
 */
const TERMINATE_BETWEEN_STATEMENTS = `
const { Client } = require('pg');
const [url, blockerPid, bookingPid] = process.argv.slice(1);
(async () => {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend($1, 5000)', [Number(blockerPid)]);
  for (let tries = 0; ; tries++) {
    const { rows } = await admin.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [Number(bookingPid)]);
    if (rows[0]?.state === 'idle in transaction') break;
    if (tries > 200) throw new Error('the booking never got past the lock: ' + JSON.stringify(rows));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await admin.query('SELECT pg_terminate_backend($1, 5000)', [Number(bookingPid)]);
  await admin.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;

type Moment = 'while it waits for a lock' | 'between two statements';

describe('a database connection lost in the middle of a unit of work', () => {
  afterAll(() => closePools());

  it.each<Moment>(['while it waits for a lock', 'between two statements'])(
    'answers a booking whose backend is terminated %s with SERVICE_UNAVAILABLE, writes nothing, and takes the retry',
    async (moment) => {
      const instrumentId = await createInstrument('sichuan');
      const token = await tokenFor('chen.jing');
      const variables = { i: instrumentId, s: localTime(20, 10), e: localTime(20, 11), p: 'Connection loss check', k: newKey() };

      const blocker = new Client({ connectionString: adminUrlOfSichuan() });
      blocker.on('error', () => {}); // terminated on purpose below
      await blocker.connect();
      try {
        const [{ pid: blockerPid }] = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows;
        await blocker.query('BEGIN');
        await blocker.query('SELECT id FROM instruments WHERE id = $1 FOR UPDATE', [localIdOf(instrumentId)]);

        const answer = gateway(BOOK, { token, variables });
        const bookingPid = await until('the booking waiting for the instrument', async () => {
          const rows = await sql('sichuan', 'SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [blockerPid]);
          return rows[0]?.['pid'] as number | undefined;
        });
        if (moment === 'while it waits for a lock') {
          await sql('sichuan', 'SELECT pg_terminate_backend($1, 5000)', [bookingPid]);
        } else {
          execFileSync(process.execPath, ['-e', TERMINATE_BETWEEN_STATEMENTS, adminUrlOfSichuan(), String(blockerPid), String(bookingPid)], { timeout: 20_000 });
        }

        const { status, body } = await answer;
        expect(status).toBe(200);
        const error = onlyError(body);
        expect(error.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
        expect(error.message).toBe('The database behind this service is unavailable or busy; retry shortly.');
        expect(JSON.stringify(body)).not.toMatch(/QueryRunner|released|terminat|SELECT|INSERT|stacktrace/i);
      } finally {
        await blocker.end().catch(() => {});
      }

      const written = await sql('sichuan', 'SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1', [localIdOf(instrumentId)]);
      expect(written[0]!['n']).toBe(0);
      // The pool dropped the dead connection: the same request, retried, books the slot.
      const retried = await gateway(BOOK, { token, variables });
      expect(retried.body.errors).toBeUndefined();
      expect(retried.body.data.booking.status).toBe('REQUESTED');
    },
  );
});
