import fs, { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SUPERGRAPH_FILE } from '../supergraphFile';
import { supergraphFromFile } from '../supergraphFromFile';
import { until } from '../../../../test/support/until';

/** The committed supergraph with a description on SichuanRegistry: valid, and visible through introspection. */
const withMarker = (sdl: string, marker: string) => sdl.replace(/^type SichuanRegistry$/m, `"""${marker}"""\ntype SichuanRegistry`);

/**
 * The reloads run on a small supergraph (`smallSupergraph.graphql`): each load checks the whole file as the gateway
 * would build it, which for the committed one costs far more than the watching under test.
 */
const SMALL_SUPERGRAPH_FILE = join(__dirname, 'smallSupergraph.graphql');

/** Runs the hook on a copy of a supergraph file, recording what it hands the gateway and what it logs. */
async function watching(debounceMs: number, options: { watch?: boolean; reloadSignal?: NodeJS.Signals; source?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'supergraph-reload-'));
  const file = join(dir, 'supergraph.graphql');
  copyFileSync(options.source ?? SMALL_SUPERGRAPH_FILE, file);
  const logs: { msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: 'debug' }, new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()));
      done();
    },
  }));
  const updates: string[] = [];
  const hook = supergraphFromFile({ file, logger, debounceMs, watch: options.watch, reloadSignal: options.reloadSignal });
  const { supergraphSdl, cleanup } = await hook({
    update: (sdl) => {
      updates.push(sdl);
    },
    healthCheck: async () => undefined,
    getDataSource: () => {
      throw new Error('not used');
    },
  });
  return {
    file, logs, updates, supergraphSdl,
    original: readFileSync(file, 'utf8'),
    close: async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('supergraphFromFile', () => {
  it('loads the committed supergraph as the gateway needs it and logs its hash', async () => {
    const watched = await watching(50, { source: SUPERGRAPH_FILE });
    try {
      expect(watched.supergraphSdl).not.toMatch(/(authenticated|requiresScopes|policy)\/v[\d.]+", for: SECURITY/);
      expect(watched.logs.find((line) => line.msg === 'supergraph loaded')?.['sha256']).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await watched.close();
    }
  });

  it('hands over a changed file once, whether written in place or moved over it', async () => {
    const watched = await watching(10);
    try {
      writeFileSync(watched.file, withMarker(watched.original, 'first change'));
      await until('the first reload', () => watched.updates.length === 1);
      expect(watched.updates[0]).toContain('"""first change"""');

      // What deploy tools and editors do: write beside the file, then rename over it.
      const staged = `${watched.file}.tmp`;
      writeFileSync(staged, withMarker(watched.original, 'second change'));
      renameSync(staged, watched.file);
      await until('the second reload', () => watched.updates.length === 2);
      expect(watched.updates[1]).toContain('"""second change"""');
      const reloaded = watched.logs.filter((line) => line.msg === 'supergraph reloaded');
      expect(reloaded).toHaveLength(2);
      expect(reloaded[1]).toMatchObject({ trigger: 'file change', previous: reloaded[0]!['sha256'] });
    } finally {
      await watched.close();
    }
  });

  it.each([
    ['a parse error', (sdl: string) => `${sdl}\ntype Broken {`],
    ['a type that does not exist', (sdl: string) => sdl.replace(/^(\s+nameZh: )String!$/m, '$1NoSuchType!')],
    ['an empty file', () => ''],
  ])('rejects %s with one log line and hands nothing over', async (_what, breakIt) => {
    const watched = await watching(10);
    try {
      writeFileSync(watched.file, breakIt(watched.original));
      await until('the rejection', () => watched.logs.some((line) => line.msg === 'supergraph rejected; the last good one keeps serving'));
      const rejected = watched.logs.filter((line) => line.msg.startsWith('supergraph rejected'));
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ level: 50, trigger: 'file change', reason: expect.any(String) });
      expect(watched.updates).toHaveLength(0);
    } finally {
      await watched.close();
    }
  });

  it('with watching off, watches nothing and reloads only when the signal comes', async () => {
    // A signal of its own, raised with process.emit: a jest sandbox does not receive real signals
    // (a real SIGHUP to a real gateway is in test/faults/faults.test.ts).
    const watchCalls = jest.spyOn(fs, 'watch');
    const watched = await watching(20, { watch: false, reloadSignal: 'SIGUSR2' });
    try {
      expect(watchCalls).not.toHaveBeenCalled();
      writeFileSync(watched.file, withMarker(watched.original, 'changed while not watched'));
      process.emit('SIGUSR2');
      await until('the reload on the signal', () => watched.updates.length === 1);
      expect(watched.updates[0]).toContain('"""changed while not watched"""');
      expect(watched.logs.find((line) => line.msg === 'supergraph reloaded')).toMatchObject({ trigger: 'signal' });
    } finally {
      watchCalls.mockRestore();
      await watched.close();
    }
  });
});
