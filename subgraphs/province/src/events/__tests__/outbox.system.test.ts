/**
 * @testSystem in-process: only the file's own Sichuan database is used.
 *
 * The outbox numbers events as their transactions commit (migration NumberEventsAtCommit): numbers follow commit
 * order, whatever order the events were written in, and a writer never waits for another transaction that has
 * written events and not yet committed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { OutboxRepository } from '../OutboxRepository';

let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 12);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

let marker = 0;
const nextEntity = () => `sc:booking:outbox-test-${process.pid}-${++marker}`;

/** Records and flushes one event about `entityId` in the transaction of `manager`, as a unit of work does. */
async function writeEvent(manager: EntityManager, entityId: string, mailsPeople = true): Promise<void> {
  const outbox = new OutboxRepository(manager, mailsPeople);
  outbox.record({ type: 'booking.confirmed', entityId, state: { status: 'CONFIRMED' } });
  await outbox.flush();
}

async function sequencesOf(entityIds: readonly string[]): Promise<Map<string, bigint>> {
  const rows: { entity_id: string; sequence: string }[] = await dataSource.query('SELECT entity_id, sequence::text FROM events WHERE entity_id = ANY ($1)', [entityIds]);
  return new Map(rows.map((row) => [row.entity_id, BigInt(row.sequence)]));
}

/** Opens a transaction on its own connection and leaves it open until `finish` is called. */
async function openTransaction() {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  return {
    manager: runner.manager,
    async finish(how: 'commit' | 'rollback') {
      try {
        await (how === 'commit' ? runner.commitTransaction() : runner.rollbackTransaction());
      } finally {
        await runner.release();
      }
    },
  };
}

it('numbers events when their transaction commits: a later commit gets the later number, and no writer waits for an open one', async () => {
  const [first, second] = [nextEntity(), nextEntity()];
  const early = await openTransaction();
  await writeEvent(early.manager, first);
  // Written second, committed first; with a lock held from writing to commit this would wait for `early`.
  await dataSource.transaction((manager) => writeEvent(manager, second));
  expect([...(await sequencesOf([first, second])).keys()]).toEqual([second]);

  await early.finish('commit');
  const numbers = await sequencesOf([first, second]);
  expect(numbers.get(first)! > numbers.get(second)!).toBe(true);
  expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
});

it('keeps the order of the events of one transaction, with their mail, and writes nothing for one rolled back', async () => {
  const entities = [nextEntity(), nextEntity(), nextEntity()];
  await dataSource.transaction(async (manager) => {
    const outbox = new OutboxRepository(manager);
    for (const entityId of entities) outbox.record({ type: 'booking.confirmed', entityId, state: { status: 'CONFIRMED' } });
    await outbox.flush();
  });
  const numbers = await sequencesOf(entities);
  expect(entities.map((entityId) => numbers.get(entityId)! - numbers.get(entities[0]!)!)).toEqual([0n, 1n, 2n]);
  expect(await dataSource.query('SELECT count(*)::int AS n FROM mail_notifications WHERE entity_id = ANY ($1)', [entities])).toEqual([{ n: 3 }]);

  const unmailed = nextEntity();
  await dataSource.transaction((manager) => writeEvent(manager, unmailed, false));
  expect(await dataSource.query('SELECT count(*)::int AS n FROM mail_notifications WHERE entity_id = $1', [unmailed])).toEqual([{ n: 0 }]);

  const rolledBack = nextEntity();
  const open = await openTransaction();
  await writeEvent(open.manager, rolledBack);
  await open.finish('rollback');
  expect((await sequencesOf([rolledBack])).size).toBe(0);
  expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
});

it('never lets a reader that follows the numbers miss an event, while writers commit in any order', async () => {
  const WRITERS = 40;
  const entities = Array.from({ length: WRITERS }, nextEntity);
  const [{ start }] = await dataSource.query("SELECT coalesce(max(sequence), 0)::text AS start FROM events");
  let done = false;
  const seen: string[] = [];
  // As a partner follows events(after:): everything after the last number it has seen, again and again.
  const reader = (async () => {
    let cursor = BigInt(start);
    for (;;) {
      const finished = done;
      const rows: { sequence: string; entity_id: string }[] = await dataSource.query(
        'SELECT sequence::text, entity_id FROM events WHERE sequence > $1 ORDER BY sequence', [cursor.toString()],
      );
      for (const row of rows) {
        seen.push(row.entity_id);
        cursor = BigInt(row.sequence);
      }
      if (finished) return;
      await sleep(1);
    }
  })();
  // Ten at a time, each holding its transaction open for a while after writing its event: commit order differs from writing order.
  await Promise.all(Array.from({ length: 10 }, async (_, lane) => {
    for (let index = lane; index < WRITERS; index += 10) {
      await dataSource.transaction(async (manager) => {
        await writeEvent(manager, entities[index]!);
        await sleep((index * 7) % 23);
      });
    }
  }));
  done = true;
  await reader;
  expect(seen.filter((entityId) => entities.includes(entityId)).sort()).toEqual([...entities].sort());
});
