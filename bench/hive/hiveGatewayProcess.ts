import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_SECRET_HEADER } from '../../shared/src';

/** The bench's own package holding Hive Gateway: never part of the root install (it brings about 590 packages). */
export const HIVE_FOLDER = join(__dirname, '..', 'hiveGateway');

export interface HiveGatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** Installed version of @graphql-hive/gateway. */
  readonly version: string;
  stop(): Promise<void>;
}

/** The version package-lock.json pins, and the one installed (null when not installed). */
function versions(): { pinned: string; installed: string | null } {
  const lock = JSON.parse(readFileSync(join(HIVE_FOLDER, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const pinned = lock.packages['node_modules/@graphql-hive/gateway']?.version;
  if (!pinned) throw new Error(`${HIVE_FOLDER}/package-lock.json pins no @graphql-hive/gateway`);
  const installedFile = join(HIVE_FOLDER, 'node_modules', '@graphql-hive', 'gateway', 'package.json');
  const installed = existsSync(installedFile) ? (JSON.parse(readFileSync(installedFile, 'utf8')) as { version: string }).version : null;
  return { pinned, installed };
}

/**
 * Installs the pinned Hive Gateway into bench/hiveGateway/node_modules the first time (`npm ci` in that folder only,
 * about a minute and 500 MB); does nothing when the pinned version is already there.
 */
export function ensureHiveGatewayInstalled(log: (message: string) => void): string {
  const { pinned, installed } = versions();
  if (installed === pinned) return installed;
  log(
    `Hive Gateway ${pinned} is not installed for the comparison${installed ? ` (found ${installed})` : ''}: ` +
      'running `npm ci --prefix bench/hiveGateway` once (about 590 packages, into bench/hiveGateway/node_modules only; the root install is untouched)…',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', HIVE_FOLDER, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm ci --prefix bench/hiveGateway failed (exit ${result.status ?? result.signal}); the Hive Gateway comparison needs it`);
  const after = versions().installed;
  if (after !== pinned) throw new Error(`npm ci installed @graphql-hive/gateway ${after ?? 'nothing'}, expected ${pinned}`);
  return after;
}

export interface HiveGatewayOptions {
  readonly supergraphFile: string;
  /** Where each subgraph of the supergraph runs, by name. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** The secret the gateway presents to the subgraphs. */
  readonly gatewaySecret: string;
  /** NODE_ENV of the process: the same as the gateway's, so neither runs graphql-js's development checks alone. */
  readonly nodeEnv: string;
}

/**
 * Hive Gateway as its own process (`bench/hiveGateway/server.mjs`, Node's http server around
 * `createGatewayRuntime`), on a free port of 127.0.0.1.
 */
export async function startHiveGateway(options: HiveGatewayOptions): Promise<HiveGatewayProcess> {
  const version = versions().installed;
  if (!version) throw new Error('Hive Gateway is not installed: call ensureHiveGatewayInstalled first');
  const child = spawn(process.execPath, [join(HIVE_FOLDER, 'server.mjs')], {
    cwd: HIVE_FOLDER,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: options.nodeEnv,
      PORT: '0',
      SUPERGRAPH_FILE: options.supergraphFile,
      SUBGRAPH_URLS: JSON.stringify(options.subgraphUrls),
      GATEWAY_SECRET_HEADER,
      GATEWAY_SECRET: options.gatewaySecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await listeningPort(child);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    version,
    stop: () => stopChild(child),
  };
}

/** Resolves with the port the server prints (`listening <port>`); rejects if it ends first or takes over 60 s. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Hive Gateway did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    });
    child.once('exit', (code, signal) => fail(new Error(`Hive Gateway ended before listening (${code ?? signal}):\n${output.slice(-2000)}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
