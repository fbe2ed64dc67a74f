import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ExitStatus } from '../../../scripts/system';
import type { ServicePids, TestSystemDescription } from '../testSystem';
import { PROTOCOL_PREFIX, type PrivateSystemCommand, type PrivateSystemMessage } from './protocol';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface PrivateSystem {
  readonly description: TestSystemDescription;
  /** Current process id of each service (a restarted service has a new one). */
  pids(): ServicePids;
  stopService(service: string): Promise<ExitStatus>;
  startService(service: string): Promise<void>;
  /** Stops / starts the PostgreSQL of one owner only: the private system runs one cluster per owner. */
  stopPostgres(owner: 'platform' | 'sichuan' | 'chongqing'): Promise<void>;
  startPostgres(owner: 'platform' | 'sichuan' | 'chongqing'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A whole system of the test file's own (one PostgreSQL per owner, three
 * subgraphs, the gateway), for tests that stop, restart and signal services,
 * which no other test file may see. `env` reaches every service, e.g. the
 * gateway's SUPERGRAPH_FILE or CIRCUIT_BREAKER_RESET_MS. Costs a few seconds.
 */
export function startPrivateSystem(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<PrivateSystem> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'privateSystemProcess.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const recentOutput: string[] = [];
  const remember = (line: string) => {
    recentOutput.push(line);
    if (recentOutput.length > 30) recentOutput.shift();
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let pids: ServicePids = {};
  const command = <T>(message: PrivateSystemCommand): Promise<T> => {
    const id = nextId++;
    child.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
    return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (result: unknown) => void, reject }));
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the private system did not start within ${timeoutMs / 1000} s:\n${recentOutput.join('\n')}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the private system exited (code ${code}) before it was ready:\n${recentOutput.join('\n')}`));
      for (const { reject: fail } of pending.values()) fail(new Error('the private system exited'));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(PROTOCOL_PREFIX)) return remember(line);
      const message = JSON.parse(line.slice(PROTOCOL_PREFIX.length)) as PrivateSystemMessage;
      if (message.kind === 'ready') {
        clearTimeout(timer);
        pids = message.pids;
        resolve({
          description: message.description,
          pids: () => pids,
          stopService: (service) => command<ExitStatus>({ command: 'stopService', service }),
          startService: async (service) => {
            pids = await command<ServicePids>({ command: 'startService', service });
          },
          stopPostgres: (owner) => command<void>({ command: 'stopPostgres', owner }),
          startPostgres: (owner) => command<void>({ command: 'startPostgres', owner }),
          stop: async () => {
            // Closing stdin is the stop command: it also works when the test process dies without a word.
            child.stdin.end();
            await exited;
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.kind === 'done') waiter?.resolve(message.result);
      else if (waiter) waiter.reject(new Error(message.error));
      else reject(new Error(message.error));
    });
  });
}
