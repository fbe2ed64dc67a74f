import { SnapshotCache, type SnapshotRead } from '../SnapshotCache';

/** A database whose snapshot moves on only when the test commits something. */
function database() {
  let snapshot = 1;
  const reads: number[] = [];
  return {
    commit: () => (snapshot += 1),
    currentSnapshot: async () => `${snapshot}:${snapshot}:`,
    reads,
    /** A read that sees the rows as they are when it runs. */
    read: (key: string) => async (): Promise<SnapshotRead<string>> => {
      reads.push(snapshot);
      return { snapshot: `${snapshot}:${snapshot}:`, value: `${key} at ${snapshot}` };
    },
  };
}

describe('SnapshotCache', () => {
  it('reads once while nothing is committed, and again after a commit, telling each request\'s outcome', async () => {
    const db = database();
    const outcomes: string[] = [];
    const cache = new SnapshotCache<string>(db.currentSnapshot, { observe: (outcome) => outcomes.push(outcome) });
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 1');
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 1');
    expect(db.reads).toEqual([1]);
    db.commit();
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 2');
    expect(db.reads).toEqual([1, 2]);
    expect(outcomes).toEqual(['read', 'kept', 'read']);
  });

  it('keeps each key apart', async () => {
    const db = database();
    const cache = new SnapshotCache<string>(db.currentSnapshot);
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 1');
    expect(await cache.read('2026', db.read('2026'))).toBe('2026 at 1');
    expect(db.reads).toEqual([1, 1]);
  });

  it('shares a read in flight with requests that see the same snapshot', async () => {
    const db = database();
    const cache = new SnapshotCache<string>(db.currentSnapshot);
    let finish!: () => void;
    const slow = () => new Promise<SnapshotRead<string>>((resolve) => {
      finish = () => resolve({ snapshot: '1:1:', value: 'slow' });
    });
    const first = cache.read('2025', slow);
    const second = cache.read('2025', db.read('2025'));
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    expect(await Promise.all([first, second])).toEqual(['slow', 'slow']);
    expect(db.reads).toEqual([]);
  });

  it('keeps a value under the snapshot its statement read at, when that is later than the one the request saw', async () => {
    const db = database();
    const cache = new SnapshotCache<string>(db.currentSnapshot);
    // A commit lands between the request's look at the snapshot and its statement.
    expect(await cache.read('2025', async () => {
      db.commit();
      return db.read('2025')();
    })).toBe('2025 at 2');
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 2');
    expect(db.reads).toEqual([2]);
  });

  it('does not keep a failed read', async () => {
    const db = database();
    const cache = new SnapshotCache<string>(db.currentSnapshot);
    await expect(cache.read('2025', async () => {
      throw new Error('connection lost');
    })).rejects.toThrow('connection lost');
    expect(await cache.read('2025', db.read('2025'))).toBe('2025 at 1');
  });

  it('drops the least recently used key beyond its capacity', async () => {
    const db = database();
    const cache = new SnapshotCache<string>(db.currentSnapshot, { capacity: 2 });
    await cache.read('a', db.read('a'));
    await cache.read('b', db.read('b'));
    await cache.read('a', db.read('a'));
    await cache.read('c', db.read('c'));
    expect(db.reads).toHaveLength(3);
    await cache.read('a', db.read('a'));
    expect(db.reads).toHaveLength(3);
    await cache.read('b', db.read('b'));
    expect(db.reads).toHaveLength(4);
  });
});
