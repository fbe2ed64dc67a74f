import { GroupedAppends } from '../GroupedAppends';

/** A write whose calls are kept and finished by the test, one at a time. */
function controlledWrite() {
  const calls: { lines: readonly string[]; finish: (error?: Error) => void }[] = [];
  const write = (lines: readonly string[]) => new Promise<void>((resolve, reject) => {
    calls.push({ lines, finish: (error) => (error ? reject(error) : resolve()) });
  });
  return { calls, write };
}
const settledOf = (promise: Promise<void>) => promise.then(() => 'written', (error: Error) => `failed: ${error.message}`);
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupedAppends', () => {
  it('writes a request alone at once, and the requests finishing during a write together in the next', async () => {
    const { calls, write } = controlledWrite();
    const appends = new GroupedAppends<string>(write);
    const first = settledOf(appends.append(['a1', 'a2']));
    expect(calls.map((call) => call.lines)).toEqual([['a1', 'a2']]);
    const second = settledOf(appends.append(['b1']));
    const third = settledOf(appends.append(['c1', 'c2']));
    await appends.append([]);
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    expect(await first).toBe('written');
    await turn();
    expect(calls.map((call) => call.lines)).toEqual([['a1', 'a2'], ['b1', 'c1', 'c2']]);
    calls[1]!.finish();
    expect([await second, await third]).toEqual(['written', 'written']);
  });

  it('answers no request before its own lines are written', async () => {
    const { calls, write } = controlledWrite();
    const appends = new GroupedAppends<string>(write);
    void appends.append(['a']);
    let secondDone = false;
    const second = appends.append(['b']).then(() => (secondDone = true));
    calls[0]!.finish();
    await turn();
    expect(secondDone).toBe(false);
    calls[1]!.finish();
    await second;
    expect(secondDone).toBe(true);
  });

  it('writes a failed group again a request at a time, so only the request whose lines fail learns it', async () => {
    const { calls, write } = controlledWrite();
    const appends = new GroupedAppends<string>(write);
    const first = settledOf(appends.append(['a']));
    const good = settledOf(appends.append(['good']));
    const bad = settledOf(appends.append(['bad']));
    calls[0]!.finish();
    await turn();
    calls[1]!.finish(new Error('value too long'));
    await turn();
    expect(calls.slice(2).map((call) => call.lines)).toEqual([['good']]);
    calls[2]!.finish();
    await turn();
    calls[3]!.finish(new Error('value too long'));
    expect([await first, await good, await bad]).toEqual(['written', 'written', 'failed: value too long']);
    // The next request is written as before.
    const after = settledOf(appends.append(['after']));
    await turn();
    calls[4]!.finish();
    expect(await after).toBe('written');
  });

  it('groups whole requests up to 100 lines, a larger request going alone', async () => {
    const { calls, write } = controlledWrite();
    const appends = new GroupedAppends<string>(write);
    const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
    const all = [appends.append(['first']), appends.append(lines('a', 60)), appends.append(lines('b', 40)), appends.append(lines('c', 150)), appends.append(['d'])];
    for (let index = 0; index < 4; index += 1) {
      calls[index]!.finish();
      await turn();
    }
    expect(calls.map((call) => call.lines.length)).toEqual([1, 100, 150, 1]);
    await Promise.all(all);
  });
});
