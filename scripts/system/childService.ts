import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildService {
  readonly name: string;
  readonly logFile: string;
  readonly process: ChildProcess;
  /** Resolves when /health/<kind> answers 200; rejects if the process exits first or time runs out. */
  waitUntil(kind: 'live' | 'ready', baseUrl: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with how the process ended. */
  stop(timeoutMs?: number): Promise<ExitStatus>;
}

/**
 * How a service's code runs: `source`, the TypeScript through tsx (`npm start`, tests: an edit counts at the next
 * start, with no build to keep in step); `compiled`, the JavaScript `npm run build` wrote to `dist/`, as the image
 * runs it (the bench: no transpiler's module hooks on the request path).
 */
export type ServiceRuntime = 'source' | 'compiled';

/**
 * Node's options for every service, here and in the image (Dockerfile): young-generation semi-spaces of 64 MiB
 * instead of 16. A request's objects (a parsed subgraph answer, the merged result, its JSON) mostly die young; with
 * more room they die before a scavenge copies them. The gateway spent 16 % less CPU per page of the evaluation report
 * (200 instruments of 17 figures), for about 120 MiB more resident memory.
 */
export const SERVICE_NODE_OPTIONS = ['--max-semi-space-size=64'];

/** The node arguments that run `entry` (a path like `gateway/src/main.ts`) in `runtime`, with `nodeFlags` added to Node's options. */
export function commandOf(entry: string, runtime: ServiceRuntime, nodeFlags: readonly string[] = []): string[] {
  const options = [...SERVICE_NODE_OPTIONS, ...nodeFlags];
  if (runtime === 'source') return [...options, '--import', 'tsx', join(REPO_ROOT, entry)];
  const compiled = join(REPO_ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) throw new Error(`${compiled} does not exist: run \`npm run build\` first`);
  return [...options, compiled];
}

/**
 * Runs one service as its own process, as in production, so one can fail
 * without the others. Its output goes to a log file of its own, which the
 * service writes itself: relaying every line through this process's pipes
 * cost the launcher CPU on every request.
 */
export function spawnService(
  name: string,
  entry: string,
  env: Record<string, string>,
  logDir: string,
  runtime: ServiceRuntime = 'source',
  nodeFlags: readonly string[] = [],
): ChildService {
  const logFile = join(logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, commandOf(entry, runtime, nodeFlags), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${signal ?? `code ${code}`}) during start-up; see ${logFile}`))),
  );
  exited.catch(() => undefined);

  return {
    name,
    logFile,
    process: child,
    async waitUntil(kind, baseUrl, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const url = new URL(`/health/${kind}`, baseUrl);
      const poll = async (): Promise<void> => {
        const ok = await isHealthy(url);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${name} was not ${kind} within ${timeoutMs / 1000} s; see ${logFile}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return poll();
      };
      await Promise.race([poll(), exited]);
    },
    stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
      return new Promise((resolve) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', (code, signal) => {
          clearTimeout(killer);
          resolve({ code, signal });
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** One health probe on a fresh connection: a pooled keep-alive socket would hold the service's drain on shutdown. */
function isHealthy(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
