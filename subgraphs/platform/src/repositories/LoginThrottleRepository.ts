import type { DataSource, EntityManager } from 'typeorm';

/** One counter of failed sign-ins (a row of login_throttle); the side a scope does not name is ''. */
export interface CounterKey {
  readonly scope: 'pair' | 'account' | 'address';
  readonly account: string;
  readonly address: string;
}

export type CountOutcome =
  | { readonly counted: true; readonly lastSuccessAt: Date | null }
  | { readonly counted: false; readonly windowEndsAt: Date };

/** Counters inside one transaction: what `count` adds commits, or rolls back, with the rest. */
export interface FailureCounters {
  /**
   * Counts one failure unless the counter already holds `limit` in a window
   * that has not ended (then it counts nothing and says when the window ends).
   * A window opens at the first failure after the last one ended.
   */
  count(key: CounterKey, limit: number, now: Date, newWindowEndsAt: Date): Promise<CountOutcome>;
}

/** Rows deleted at most per purge: enough to keep pace with the rows sign-ins create. */
const PURGE_BATCH = 100;

/**
 * Every query on login_throttle. Each count is one INSERT … ON CONFLICT DO
 * UPDATE … WHERE under the row's lock, never a read followed by a write, so
 * platform replicas and parallel attempts share one exact count. Rows are
 * always locked in the order pair, account, address, so two transactions
 * never wait on each other in a circle.
 */
export class LoginThrottleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: when it throws, none of its counts stays. */
  counting<T>(work: (counters: FailureCounters) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ count: (...args) => count(manager, ...args) }));
  }

  /**
   * A sign-in succeeded: its pair starts again from zero and remembers the
   * success until `knownUntil`; each `forgiven` counter takes back this
   * attempt's failure (not the others': an owner's success must not give an
   * attacker a fresh allowance).
   */
  recordSuccess(pair: CounterKey, forgiven: readonly CounterKey[], now: Date, knownUntil: Date): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO login_throttle AS t (scope, account, address, failures, window_ends_at, last_success_at, expires_at)
         VALUES ($1, $2, $3, 0, $4, $4, $5)
         ON CONFLICT (scope, account, address) DO UPDATE SET
           failures = 0, last_success_at = $4, expires_at = GREATEST(t.expires_at, $5)`,
        [pair.scope, pair.account, pair.address, now, knownUntil],
      );
      for (const key of forgiven) {
        await manager.query(
          'UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE scope = $1 AND account = $2 AND address = $3',
          [key.scope, key.account, key.address],
        );
      }
    });
  }

  /**
   * Deletes up to a batch of rows that count nothing any more (a flood of
   * made-up usernames must not grow the table without bound) and says how
   * many. Rows another transaction holds are skipped, so a purge never waits
   * on a sign-in.
   */
  async purgeExpired(now: Date): Promise<number> {
    // For a DELETE, TypeORM answers [rows, affected row count].
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM login_throttle t USING (
         SELECT scope, account, address FROM login_throttle WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED
       ) old
       WHERE (t.scope, t.account, t.address) = (old.scope, old.account, old.address)`,
      [now, PURGE_BATCH],
    )) as [unknown, number];
    return deleted;
  }
}

async function count(manager: EntityManager, key: CounterKey, limit: number, now: Date, newWindowEndsAt: Date): Promise<CountOutcome> {
  const keyParams = [key.scope, key.account, key.address];
  // When the WHERE fails, PostgreSQL still locks the row and returns nothing: the counter is full.
  const counted: { last_success_at: Date | null }[] = await manager.query(
    `INSERT INTO login_throttle AS t (scope, account, address, failures, window_ends_at, expires_at)
     VALUES ($1, $2, $3, 1, $5, $5)
     ON CONFLICT (scope, account, address) DO UPDATE SET
       failures = CASE WHEN t.window_ends_at <= $4 THEN 1 ELSE t.failures + 1 END,
       window_ends_at = CASE WHEN t.window_ends_at <= $4 THEN $5 ELSE t.window_ends_at END,
       expires_at = GREATEST(t.expires_at, $5)
     WHERE t.window_ends_at <= $4 OR t.failures < $6
     RETURNING last_success_at`,
    [...keyParams, now, newWindowEndsAt, limit],
  );
  if (counted[0]) return { counted: true, lastSuccessAt: counted[0].last_success_at };
  const [full] = (await manager.query('SELECT window_ends_at FROM login_throttle WHERE scope = $1 AND account = $2 AND address = $3', keyParams)) as {
    window_ends_at: Date;
  }[];
  return { counted: false, windowEndsAt: full!.window_ends_at };
}
