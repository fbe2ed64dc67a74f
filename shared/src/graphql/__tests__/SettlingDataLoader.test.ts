import { SettlingDataLoader } from '../SettlingDataLoader';

describe('SettlingDataLoader', () => {
  const make = () => {
    const batches: (readonly string[])[] = [];
    const loader = new SettlingDataLoader<string, string | null>(async (keys) => {
      batches.push(keys);
      return keys.map((key) => (key === 'broken' ? new Error('no such row') : key === 'missing' ? null : key.toUpperCase()));
    });
    return { loader, batches };
  };

  it('answers a key with a promise until it is loaded, then with the value itself', async () => {
    const { loader, batches } = make();
    const first = loader.loadSettled('a');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe('A');
    expect(loader.loadSettled('a')).toBe('A');
    // A row that does not exist is a value too.
    await loader.loadMany(['b', 'missing']);
    expect(loader.loadSettled('b')).toBe('B');
    expect(loader.loadSettled('missing')).toBeNull();
    expect(batches).toEqual([['a'], ['b', 'missing']]);
  });

  it('never settles an error: the key answers the rejected load, as load does', async () => {
    const { loader } = make();
    await loader.loadMany(['broken']);
    const again = loader.loadSettled('broken');
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toThrow('no such row');
  });

  it('settles a primed value, keeps the first value of a key, and forgets what is cleared', async () => {
    const { loader, batches } = make();
    loader.prime('p', 'primed');
    loader.prime('p', 'other');
    expect(loader.loadSettled('p')).toBe('primed');
    expect(await loader.load('p')).toBe('primed');
    loader.clear('p');
    expect(await loader.loadSettled('p')).toBe('P');
    loader.clearAll();
    expect(loader.loadSettled('p')).toBeInstanceOf(Promise);
    loader.prime('q', Promise.resolve('later') as unknown as string);
    expect(loader.loadSettled('q')).toBeInstanceOf(Promise);
    expect(batches).toEqual([['p']]);
  });
});
