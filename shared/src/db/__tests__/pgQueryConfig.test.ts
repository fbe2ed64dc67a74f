/**
 * pg as patched (patches/pg+8.23.1.patch): the copy of a query's config that pg makes before it adds the values and
 * the callback is an `Object.assign` for a plain object, where building every property's descriptor cost ~1.4 µs a
 * query (and a spread, given the callback after it, a new hidden class every time). The caller's object must still be
 * left as it was, and a config of another class keep its prototype.
 */
import { shareHiddenClass } from '../../testing/hiddenClasses';

const { normalizeQueryConfig } = require('pg/lib/utils') as {
  normalizeQueryConfig(config: unknown, values?: unknown, callback?: unknown): Record<string, unknown>;
};

describe("pg's query config copy (patched)", () => {
  it('adds values and the callback to a copy, never to the caller’s plain object', () => {
    const config = { name: 'r_page', text: 'SELECT $1::int AS n' };
    const callback = () => undefined;
    const normalized = normalizeQueryConfig(config, [1], callback);
    expect(normalized).toEqual({ name: 'r_page', text: 'SELECT $1::int AS n', values: [1], callback });
    expect(normalized).not.toBe(config);
    expect(config).toEqual({ name: 'r_page', text: 'SELECT $1::int AS n' });
  });

  it('gives every copy with a callback one hidden class, as pg-pool asks every query', () => {
    const copies = Array.from({ length: 30 }, (_, i) => normalizeQueryConfig({ name: 'r_page', text: 'SELECT $1::int AS n', values: [i] }, undefined, () => i));
    expect(copies[29]).toEqual({ name: 'r_page', text: 'SELECT $1::int AS n', values: [29], callback: expect.any(Function) });
    // The last three: V8 copies a spread's first few objects another way.
    expect(shareHiddenClass(copies[27]!, copies[28]!)).toBe(true);
    expect(shareHiddenClass(copies[28]!, copies[29]!)).toBe(true);
  });

  it('keeps the prototype of a config of another class, and what it inherits', () => {
    class NamedRead {
      readonly text = 'SELECT 1';
      get name(): string {
        return 'r_named';
      }
    }
    const normalized = normalizeQueryConfig(new NamedRead(), [2]);
    expect(normalized).toBeInstanceOf(NamedRead);
    expect(normalized['name']).toBe('r_named');
    expect(normalized['values']).toEqual([2]);
  });

  it('is the patched pg: a plain config is copied by value (npm install applies the patch)', () => {
    let reads = 0;
    const config = {
      get text() {
        reads += 1;
        return 'SELECT 1';
      },
    };
    const normalized = normalizeQueryConfig(config);
    // The copy reads the getter once and keeps its value; the unpatched copy keeps the getter itself.
    expect(Object.getOwnPropertyDescriptor(normalized, 'text')).toEqual({ value: 'SELECT 1', writable: true, enumerable: true, configurable: true });
    expect(reads).toBe(1);
  });
});
