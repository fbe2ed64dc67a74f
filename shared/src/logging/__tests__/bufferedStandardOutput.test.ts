import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferedStandardOutput, createLogger } from '../createLogger';

describe('bufferedStandardOutput', () => {
  let folder: string;
  let fd: number;
  let file: string;
  let exitListeners: Set<NodeJS.ExitListener>;
  /** The exit listeners a test's destination added (its flush at exit), removed again after the test. */
  const addedExitListeners = () => process.listeners('exit').filter((listener) => !exitListeners.has(listener));
  beforeEach(() => {
    exitListeners = new Set(process.listeners('exit'));
    folder = mkdtempSync(join(tmpdir(), 'buffered-log-'));
    file = join(folder, 'service.log');
    fd = openSync(file, 'a');
    jest.useFakeTimers();
  });
  afterEach(() => {
    for (const listener of addedExitListeners()) process.removeListener('exit', listener);
    jest.useRealTimers();
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  });

  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string });

  it('gathers lines into one write, and writes what a quiet service logged within a second', () => {
    const logger = createLogger('buffered', 'info', bufferedStandardOutput(fd));
    logger.info('first');
    logger.info('second');
    expect(lines()).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(lines().map((line) => line.msg)).toEqual(['first', 'second']);
  });

  it('writes what is left when the process exits', () => {
    const logger = createLogger('buffered', 'info', bufferedStandardOutput(fd));
    const onExit = addedExitListeners();
    expect(onExit).toHaveLength(1);
    logger.info('last words');
    expect(lines()).toEqual([]);
    onExit[0]!.call(process, 0);
    expect(lines().map((line) => line.msg)).toEqual(['last words']);
  });
});
