import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateFile, ensureOwnedCopy, ensureOwnedFolder, readPrivateFile } from '../ownedPaths';

/** Another local user, planting things at paths we use. */
const OTHER = { uid: 65534, gid: 65534 };
/** The user PostgreSQL runs as, in tests where a folder is made for someone else. */
const DATABASE_USER = { uid: 4242, gid: 4242 };
// Handing files to other users takes root (CI runs tests as root).
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'owned-paths-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => lstatSync(path).mode & 0o777;
/** A folder another user made, as anyone can under the system temp folder. */
function plantedFolder(path: string): string {
  mkdirSync(path, { mode: 0o755 });
  chownSync(path, OTHER.uid, OTHER.gid);
  return path;
}

asRoot('ensureOwnedFolder', () => {
  it('makes a missing folder with the mode asked and hands it to its owner', async () => {
    const path = join(dir, 'made');
    await ensureOwnedFolder(path, { mode: 0o700, owner: DATABASE_USER });
    expect(statSync(path)).toMatchObject({ uid: DATABASE_USER.uid, gid: DATABASE_USER.gid });
    expect(modeOf(path)).toBe(0o700);
  });

  it('accepts the folder it made before', async () => {
    const path = join(dir, 'again');
    await ensureOwnedFolder(path, { mode: 0o711 });
    await expect(ensureOwnedFolder(path, { mode: 0o711 })).resolves.toBeUndefined();
  });

  it('refuses a folder another user made there, and leaves it theirs', async () => {
    const path = plantedFolder(join(dir, 'planted'));
    await expect(ensureOwnedFolder(path, { mode: 0o700, owner: DATABASE_USER })).rejects.toThrow(/refusing to use .*belongs to user 65534/);
    expect(statSync(path).uid).toBe(OTHER.uid);
  });

  it('refuses a link planted at the path, and changes nothing where it points', async () => {
    const target = join(dir, 'target');
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, join(dir, 'link'));
    await expect(ensureOwnedFolder(join(dir, 'link'), { mode: 0o700, owner: DATABASE_USER })).rejects.toThrow(/symbolic link/);
    expect(statSync(target).uid).toBe(0);
    expect(modeOf(target)).toBe(0o755);
  });

  it('refuses a folder of ours that other users can write to', async () => {
    const path = join(dir, 'open');
    mkdirSync(path);
    chmodSync(path, 0o1777);
    await expect(ensureOwnedFolder(path, { mode: 0o700 })).rejects.toThrow(/other users can write to it \(mode 777\)/);
  });

  it('refuses a file where the folder should be', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(ensureOwnedFolder(join(dir, 'file'), { mode: 0o700 })).rejects.toThrow(/not a folder/);
  });

  it('takes over a folder of the user an earlier layout gave it to, and no one else’s', async () => {
    const earlier = join(dir, 'earlier');
    mkdirSync(earlier, { mode: 0o700 });
    chownSync(earlier, DATABASE_USER.uid, DATABASE_USER.gid);
    await ensureOwnedFolder(earlier, { mode: 0o711, adoptFrom: DATABASE_USER.uid });
    expect(statSync(earlier).uid).toBe(0);
    expect(modeOf(earlier)).toBe(0o711);
    const planted = plantedFolder(join(dir, 'planted'));
    await expect(ensureOwnedFolder(planted, { mode: 0o711, adoptFrom: DATABASE_USER.uid })).rejects.toThrow(/belongs to user 65534/);
  });
});

asRoot('readPrivateFile', () => {
  const secret = () => {
    const path = join(dir, 'secret');
    writeFileSync(path, 'ours', { mode: 0o600 });
    return path;
  };

  it('reads a file of ours that no one else can open, and says when there is none', async () => {
    await expect(readPrivateFile(secret())).resolves.toBe('ours');
    await expect(readPrivateFile(join(dir, 'missing'))).resolves.toBeUndefined();
  });

  it('refuses, unread, a file another user planted', async () => {
    const path = join(dir, 'planted');
    writeFileSync(path, 'known to them', { mode: 0o600 });
    chownSync(path, OTHER.uid, OTHER.gid);
    await expect(readPrivateFile(path)).rejects.toThrow(/belongs to user 65534/);
  });

  it('refuses a link, even to a secret of ours', async () => {
    symlinkSync(secret(), join(dir, 'link'));
    await expect(readPrivateFile(join(dir, 'link'))).rejects.toThrow(/symbolic link/);
  });

  it('refuses a file of ours that others can read', async () => {
    chmodSync(secret(), 0o644);
    await expect(readPrivateFile(join(dir, 'secret'))).rejects.toThrow(/other users can open it \(mode 644\)/);
  });

  it('refuses a second hard link to a file', async () => {
    linkSync(secret(), join(dir, 'hard'));
    await expect(readPrivateFile(join(dir, 'hard'))).rejects.toThrow(/other hard links/);
  });

  it('refuses a pipe without waiting for a writer', async () => {
    const path = join(dir, 'pipe');
    expect(spawnSync('mkfifo', ['-m', '600', path]).status).toBe(0);
    await expect(readPrivateFile(path)).rejects.toThrow(/not a file/);
  });
});

asRoot('createPrivateFile', () => {
  it('writes a new file only its owner can open', async () => {
    const path = join(dir, 'password');
    await createPrivateFile(path, 'pw\n', DATABASE_USER);
    expect(statSync(path)).toMatchObject({ uid: DATABASE_USER.uid, gid: DATABASE_USER.gid });
    expect(modeOf(path)).toBe(0o600);
  });

  it('never writes through a link planted at the path', async () => {
    const target = join(dir, 'elsewhere');
    symlinkSync(target, join(dir, 'password'));
    await expect(createPrivateFile(join(dir, 'password'), 'pw\n')).rejects.toThrow(/EEXIST/);
    expect(() => lstatSync(target)).toThrow(/ENOENT/);
  });
});

asRoot('ensureOwnedCopy', () => {
  let source: string;
  beforeEach(() => {
    source = join(dir, 'source');
    mkdirSync(join(source, 'bin'), { recursive: true });
    writeFileSync(join(source, 'bin', 'postgres'), 'the real one', { mode: 0o755 });
  });

  it('copies once into a folder of ours that others can read and leaves no staging folder', async () => {
    const target = join(dir, 'copy');
    await ensureOwnedCopy(source, target);
    await ensureOwnedCopy(source, target);
    expect(statSync(join(target, 'bin', 'postgres')).uid).toBe(0);
    expect(modeOf(target)).toBe(0o755);
    expect(readdirSync(dir).sort()).toEqual(['copy', 'source']);
  });

  it('refuses a copy another user planted, and runs nothing from it', async () => {
    const target = plantedFolder(join(dir, 'copy'));
    mkdirSync(join(target, 'bin'));
    writeFileSync(join(target, 'bin', 'postgres'), 'theirs');
    await expect(ensureOwnedCopy(source, target)).rejects.toThrow(/belongs to user 65534/);
  });

  it('refuses a link planted where the copy goes', async () => {
    symlinkSync(source, join(dir, 'copy'));
    await expect(ensureOwnedCopy(source, join(dir, 'copy'))).rejects.toThrow(/symbolic link/);
  });
});
