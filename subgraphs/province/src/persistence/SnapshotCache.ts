import type { Pool } from 'pg';
import { Counter } from 'prom-client';
import type { MetricsRegistry } from '../../../../shared/src';

/**
 * A result and the PostgreSQL snapshot it was read under (`pg_current_snapshot()::text` in the same statement); none
 * when the statement gave no row to carry it, and the result is then kept under the snapshot the request saw only.
 */
export interface SnapshotRead<T> {
  readonly snapshot?: string;
  readonly value: T;
}

/** How a request was answered: from a kept (or shared, still running) read, or by a read of its own. */
export type SnapshotCacheOutcome = 'kept' | 'read';

export interface SnapshotCacheOptions {
  /** Entries kept, least recently used dropped first: each key is a period somebody reports on. Default 32. */
  readonly capacity?: number;
  /** Told of every request's outcome (a metrics counter). */
  readonly observe?: (outcome: SnapshotCacheOutcome) => void;
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
  private readonly capacity: number;

  /** @param currentSnapshot the snapshot a statement would read under now */
  constructor(
    private readonly currentSnapshot: () => Promise<string>,
    private readonly options: SnapshotCacheOptions = {},
  ) {
    this.capacity = options.capacity ?? 32;
  }

  /** Reads a pool's current snapshot with one named (prepared) statement. */
  static ofPool<T>(pool: () => Pool, options?: SnapshotCacheOptions): SnapshotCache<T> {
    return new SnapshotCache<T>(async () => {
      const { rows } = await pool().query<{ snapshot: string }>({ name: 'current-snapshot', text: 'SELECT pg_current_snapshot()::text AS snapshot' });
      return rows[0]!.snapshot;
    }, options);
  }

  /** The value under `key` read under the database's current snapshot: kept, shared in flight, or `read` now. */
  async read(key: string, read: () => Promise<SnapshotRead<T>>): Promise<T> {
    const now = await this.currentSnapshot();
    const kept = this.entries.get(key);
    if (kept?.snapshots.has(now)) {
      // Most recently used last, so the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.options.observe?.('kept');
      return kept.value;
    }
    this.options.observe?.('read');
    const snapshots = new Set([now]);
    const value = read().then(({ snapshot, value }) => {
      if (snapshot !== undefined) snapshots.add(snapshot);
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

/** Gives each kept read (`stats`, `evaluation_totals`…) the observer of its outcomes. */
export type KeptReadObserver = (read: string) => ((outcome: SnapshotCacheOutcome) => void) | undefined;

/** No counting, where no metrics registry is given (tests of a repository alone). */
export const uncountedKeptReads: KeptReadObserver = () => undefined;

/** `province_kept_reads_total{read, outcome}`: how often a commit made a kept read go to the database again. */
export function keptReadMetrics(registry: MetricsRegistry): KeptReadObserver {
  const reads = new Counter({
    name: 'province_kept_reads_total',
    help: 'Requests for a kept read (SnapshotCache: dashboard figures, evaluation totals and pages), by read and outcome (kept|read: answered by a read of its own).',
    labelNames: ['read', 'outcome'] as const,
    registers: [registry],
  });
  return (read) => (outcome) => reads.inc({ read, outcome });
}
