import { constants, type Stats } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Folders and secret files at paths someone else could guess (under the
 * system temp folder, or a data folder that may live there): each is made
 * exclusively, or the one already there is checked to be ours alone before we
 * use it. Every check runs on an open handle that was opened without following
 * a link, so nothing can be swapped in between the check and the use.
 */

/** A user and group id pair, as `chown` takes them. */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

/** The user this process runs as; undefined where files have no POSIX owner (Windows), which skips the checks. */
export function currentUser(): FileOwner | undefined {
  return process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined;
}

export interface OwnedFolderOptions {
  /** The mode a folder made now gets, exactly (whatever the umask). A folder already there keeps its own. */
  readonly mode: number;
  /** Who must own the folder; default: the user this process runs as. A folder made now is handed to them. */
  readonly owner?: FileOwner | undefined;
  /** A user whose folder is taken over (given to `owner`, with `mode`) instead of refused: an earlier layout gave them it. */
  readonly adoptFrom?: number | undefined;
}

/**
 * Makes the folder `path` (not its parents' modes), or checks the one already
 * there: a real folder, never a link, owned by `owner` and writable by no
 * other user. Anything else is refused, never reused.
 */
export async function ensureOwnedFolder(path: string, options: OwnedFolderOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Not recursive: EEXIST tells us the folder was there before, made by whoever.
  const made = await mkdir(path, { mode: options.mode }).then(() => true, (error: unknown) => {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  });
  const me = currentUser();
  if (!me) return;
  const owner = options.owner ?? me;
  const folder = await openNoFollow(path, constants.O_DIRECTORY, 'folder');
  try {
    const found = await folder.stat();
    if ((made && found.uid === me.uid) || (options.adoptFrom !== undefined && found.uid === options.adoptFrom)) {
      await folder.chown(owner.uid, owner.gid);
      await folder.chmod(options.mode);
    }
    checkOwned(path, await folder.stat(), owner.uid, 'folder');
  } finally {
    await folder.close();
  }
}

/** Refuses (throws) unless `path` is a real folder, not a link, owned by `owner` and writable by no other user. */
export async function checkOwnedFolder(path: string, owner = currentUser()): Promise<void> {
  if (!owner) return;
  const folder = await openNoFollow(path, constants.O_DIRECTORY, 'folder');
  try {
    checkOwned(path, await folder.stat(), owner.uid, 'folder');
  } finally {
    await folder.close();
  }
}

/**
 * Copies the folder `source` to `target` unless a copy is there already, then
 * checks that the copy is ours alone: a folder someone else made or can change
 * at a guessable path could hold programs of theirs.
 */
export async function ensureOwnedCopy(source: string, target: string): Promise<void> {
  if (!(await lstat(target).catch(() => undefined))) {
    // Copied into a folder with a random name, made exclusively, then renamed into place whole: nobody sees a half copy.
    const staging = await mkdtemp(`${target}.`);
    try {
      await cp(source, staging, { recursive: true, verbatimSymlinks: true });
      await chmod(staging, 0o755);
      // Another process may have won the race; its copy is as good as ours if it passes the check below.
      await rename(staging, target).catch(() => undefined);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  await checkOwnedFolder(target);
}

/**
 * The content of a secret file, or undefined when there is none. The file must
 * be ours alone: a regular file (no link, no second hard link), owned by us and
 * readable by no one else. Otherwise it is refused unread, since whoever
 * planted it would know the secret we went on to use.
 */
export async function readPrivateFile(path: string): Promise<string | undefined> {
  // O_NONBLOCK: a pipe planted at the path is refused below instead of blocking the open.
  const file = await openNoFollow(path, constants.O_NONBLOCK, 'file').catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return undefined;
  try {
    const me = currentUser();
    if (me) checkOwned(path, await file.stat(), me.uid, 'file');
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

/**
 * Writes a new file that only `owner` (default: us) can read. It fails with
 * EEXIST when anything is at `path` already, a dangling link included:
 * O_CREAT with O_EXCL never follows a link.
 */
export async function createPrivateFile(path: string, content: string, owner?: FileOwner): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    if (owner) await file.chown(owner.uid, owner.gid);
    await file.writeFile(content);
  } finally {
    await file.close();
  }
}

type Kind = 'folder' | 'file';

function checkOwned(path: string, found: Stats, uid: number, kind: Kind): void {
  if (kind === 'folder' ? !found.isDirectory() : !found.isFile()) throw refused(path, `it is not a ${kind}`);
  if (found.uid !== uid) throw refused(path, `it belongs to user ${found.uid}, not ${uid}`);
  // Folders: others may read or pass through, not write. Secret files: others may do nothing.
  const othersMay = found.mode & (kind === 'folder' ? 0o022 : 0o077);
  if (othersMay) throw refused(path, `other users can ${kind === 'folder' ? 'write to' : 'open'} it (mode ${(found.mode & 0o777).toString(8)})`);
  if (kind === 'file' && found.nlink !== 1) throw refused(path, 'it has other hard links');
}

/** Opens read-only without following a link at `path`; a link or the wrong kind of entry is refused with a clear message. */
async function openNoFollow(path: string, flags: number, kind: Kind): Promise<FileHandle> {
  try {
    return await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | flags);
  } catch (error) {
    // Linux says ENOTDIR, not ELOOP, for a link opened with O_DIRECTORY and O_NOFOLLOW.
    if (errorCode(error) !== 'ELOOP' && errorCode(error) !== 'ENOTDIR') throw error;
    const isLink = (await lstat(path).catch(() => undefined))?.isSymbolicLink();
    throw refused(path, isLink ? 'it is a symbolic link' : `it is not a ${kind}`);
  }
}

function refused(path: string, why: string): Error {
  return new Error(`refusing to use ${path}: ${why}. Another local user may have put it there; remove it or choose another folder`);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
