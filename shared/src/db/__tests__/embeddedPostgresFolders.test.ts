import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../logging/createLogger';
import { reachableBinaries, reachableDataDir } from '../embeddedPostgresFolders';

/** The user PostgreSQL runs as; any uid will do, as root can run a program as any. */
const DATABASE_USER = { uid: 4242, gid: 4242 };
/** Another local user, planting folders at the guessable paths under the temp folder. */
const OTHER = { uid: 65534, gid: 65534 };
const logger = createLogger('embedded-postgres-folders-test', 'silent');

let dir: string;
const cleanUp: string[] = [];
beforeEach(() => {
  // Mode 700 and ours: the database user cannot pass through it, as with a checkout under /root.
  dir = mkdtempSync(join(tmpdir(), 'pg-folders-'));
  cleanUp.push(dir);
});
afterEach(() => {
  for (const path of cleanUp.splice(0)) rmSync(path, { recursive: true, force: true });
});

const ownerAndMode = (path: string) => ({ uid: lstatSync(path).uid, mode: lstatSync(path).mode & 0o777 });

// Only root runs PostgreSQL as another user (CI runs tests as root).
(process.getuid?.() === 0 ? describe : describe.skip)('as root', () => {
  describe('reachableDataDir', () => {
    it('keeps a reachable folder ours, with mode 711 so the database user passes through to its cluster', async () => {
      chmodSync(dir, 0o755);
      const requested = join(dir, 'pg');
      await expect(reachableDataDir(requested, DATABASE_USER, logger)).resolves.toBe(requested);
      expect(ownerAndMode(requested)).toEqual({ uid: 0, mode: 0o711 });
    });

    it('takes back a folder an earlier layout gave to the database user', async () => {
      chmodSync(dir, 0o755);
      const requested = join(dir, 'pg');
      mkdirSync(requested, { mode: 0o755 });
      chownSync(requested, DATABASE_USER.uid, DATABASE_USER.gid);
      await reachableDataDir(requested, DATABASE_USER, logger);
      expect(ownerAndMode(requested)).toEqual({ uid: 0, mode: 0o711 });
    });

    describe('falling back to the temp folder', () => {
      /** Where the cluster goes when the database user cannot reach `requested`, found by a first start and then cleared. */
      async function fallbackFor(requested: string): Promise<string> {
        const fallback = await reachableDataDir(requested, DATABASE_USER, logger);
        cleanUp.push(fallback);
        rmSync(fallback, { recursive: true });
        return fallback;
      }

      it('makes a folder of ours there', async () => {
        const requested = join(dir, 'pg');
        const fallback = await fallbackFor(requested);
        expect(fallback.startsWith(join(tmpdir(), 'shuangcheng-pgdata-'))).toBe(true);
        await expect(reachableDataDir(requested, DATABASE_USER, logger)).resolves.toBe(fallback);
        expect(ownerAndMode(fallback)).toEqual({ uid: 0, mode: 0o711 });
      });

      it('refuses a folder another user made there, with an admin password they know', async () => {
        const requested = join(dir, 'pg');
        const fallback = await fallbackFor(requested);
        mkdirSync(fallback, { mode: 0o755 });
        writeFileSync(join(fallback, 'admin-password'), 'known-to-them');
        for (const path of [fallback, join(fallback, 'admin-password')]) chownSync(path, OTHER.uid, OTHER.gid);
        await expect(reachableDataDir(requested, DATABASE_USER, logger)).rejects.toThrow(/refusing to use .*shuangcheng-pgdata-.*belongs to user 65534/);
        expect(ownerAndMode(fallback).uid).toBe(OTHER.uid);
      });

      it('refuses a link planted there, and hands nothing it points to to the database user', async () => {
        const requested = join(dir, 'pg');
        const fallback = await fallbackFor(requested);
        const elsewhere = join(dir, 'elsewhere');
        mkdirSync(elsewhere, { mode: 0o755 });
        symlinkSync(elsewhere, fallback);
        await expect(reachableDataDir(requested, DATABASE_USER, logger)).rejects.toThrow(/symbolic link/);
        expect(ownerAndMode(elsewhere)).toEqual({ uid: 0, mode: 0o755 });
      });

      it('refuses a folder there that other users can write to', async () => {
        const requested = join(dir, 'pg');
        const fallback = await fallbackFor(requested);
        mkdirSync(fallback);
        chmodSync(fallback, 0o777);
        await expect(reachableDataDir(requested, DATABASE_USER, logger)).rejects.toThrow(/other users can write to it/);
      });
    });
  });

  describe('reachableBinaries', () => {
    /** A binaries package inside a folder the database user cannot enter, with a version no other test or run uses. */
    function unreachablePackage(): { packageDir: string; copy: string } {
      const version = `0.0.0-test-${randomBytes(4).toString('hex')}`;
      const packageDir = join(dir, 'package');
      mkdirSync(join(packageDir, 'native', 'bin'), { recursive: true });
      writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ version }));
      writeFileSync(join(packageDir, 'native', 'bin', 'postgres'), 'the real one', { mode: 0o755 });
      const copy = join(tmpdir(), `shuangcheng-postgres-${version}`);
      cleanUp.push(copy);
      return { packageDir, copy };
    }

    it('copies the binaries to a folder of ours in the temp folder', async () => {
      const { packageDir, copy } = unreachablePackage();
      await expect(reachableBinaries(DATABASE_USER, packageDir)).resolves.toBe(join(copy, 'bin'));
      expect(ownerAndMode(copy)).toEqual({ uid: 0, mode: 0o755 });
    });

    it('refuses binaries another user put where the copy goes', async () => {
      const { packageDir, copy } = unreachablePackage();
      mkdirSync(join(copy, 'bin'), { recursive: true, mode: 0o755 });
      writeFileSync(join(copy, 'bin', 'postgres'), 'theirs', { mode: 0o755 });
      chownSync(copy, OTHER.uid, OTHER.gid);
      await expect(reachableBinaries(DATABASE_USER, packageDir)).rejects.toThrow(/shuangcheng-postgres-.*belongs to user 65534/);
    });
  });
});
