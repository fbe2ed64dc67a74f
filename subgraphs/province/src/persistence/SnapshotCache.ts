import type { Pool } from 'pg';

/** A result and the PostgreSQL snapshot it was read under (`pg_current_snapshot()::text` in the same statement). */
export interface SnapshotRead<T> {
  readonly snapshot: string;
  readonly value: T;
}

interface Entry<T> {
  /** Snapshots under which the database holds exactly what `value` was read from. */
  readonly snapshots: Set<string>;
  readonly value: Promise<T>;
}

/**
 * Results of read-only statements whose answer depends on their parameters and the rows alone (no clock), kept for
 * as long as the database has committed nothing since they were read.
 *
 * A PostgreSQL snapshot (`pg_current_snapshot()`: the oldest transaction still running, the next transaction id, and
 * those in progress between) names exactly which transactions a statement sees. Two statements under snapshots with
 * the same text see the same committed transactions, so the same rows: a request that finds the snapshot it would read
 * under among an entry's gets that entry's value, which is the value its own statement would compute. Any commit that
 * wrote anything moves the snapshot on, so the next request computes afresh; read-only transactions take no
 * transaction id and move nothing. Checking costs one tiny statement instead of the aggregate (the annual evaluation
 * reads every use of a year, some 130,000 rows a province at bench scale).
 *
 * A request that finds a computation still running, started after the snapshot it sees was current, shares it: that
 * computation reads the database as it is now or later, never earlier.
 */
export class SnapshotCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * @param currentSnapshot the snapshot a statement would read under now
   * @param capacity entries kept, least recently used dropped first: each key is a period somebody reports on
   */
  constructor(
    private readonly currentSnapshot: () => Promise<string>,
    private readonly capacity = 32,
  ) {}

  /** Reads a pool's current snapshot with one named (prepared) statement. */
  static ofPool<T>(pool: () => Pool, capacity?: number): SnapshotCache<T> {
    return new SnapshotCache<T>(async () => {
      const { rows } = await pool().query<{ snapshot: string }>({ name: 'current-snapshot', text: 'SELECT pg_current_snapshot()::text AS snapshot' });
      return rows[0]!.snapshot;
    }, capacity);
  }

  /** The value under `key` read under the database's current snapshot: kept, shared in flight, or `read` now. */
  async read(key: string, read: () => Promise<SnapshotRead<T>>): Promise<T> {
    const now = await this.currentSnapshot();
    const kept = this.entries.get(key);
    if (kept?.snapshots.has(now)) {
      // Most recently used last, so the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.value;
    }
    const snapshots = new Set([now]);
    const value = read().then(({ snapshot, value }) => {
      snapshots.add(snapshot);
      return value;
    });
    const entry: Entry<T> = { snapshots, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    // A failed read is not kept: the next request reads again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
