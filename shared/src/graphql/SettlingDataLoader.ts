import DataLoader from 'dataloader';

/**
 * A request's DataLoader that also answers, without a promise, a key it has already loaded or been primed with
 * (`loadSettled`). graphql-js completes an object whose fields all answer plain values synchronously; one field
 * answering a promise, even of a value already in the loader's cache, makes it wait for that object with a promise
 * of its own (`promiseForObject`), per object: on a page of 20 instruments, each with its lab, that was a tenth of the
 * subgraph's CPU. A page's resolver that loads its rows' relations first (`loadMany`) lets their fields answer plainly.
 */
export class SettlingDataLoader<K, V> extends DataLoader<K, V> {
  private readonly settled: Map<K, V>;

  constructor(batch: DataLoader.BatchLoadFn<K, V>) {
    const settled = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, index) => {
        const value = values[index];
        if (!(value instanceof Error)) settled.set(key, value as V);
      });
      return values;
    });
    this.settled = settled;
  }

  /** What `load(key)` answers: the value itself once loaded, else the load's promise. */
  loadSettled(key: K): V | Promise<V> {
    return this.settled.has(key) ? (this.settled.get(key) as V) : this.load(key);
  }

  /** As DataLoader's: a key already known keeps its value. */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const known = this.settled.has(key);
    super.prime(key, value);
    if (!known && !(value instanceof Error) && !isPromiseLike(value)) this.settled.set(key, value);
    return this;
  }

  override clear(key: K): this {
    this.settled.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
