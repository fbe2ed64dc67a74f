import { chmodSync, chownSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateSecret } from '../readOrCreateSecret';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('makes a secret only we can read and reads the same one back', async () => {
  const file = join(dir, 'secrets', 'admin-password');
  const made = await readOrCreateSecret(file);
  expect(made).toMatch(/^[\w-]{24}$/);
  expect(lstatSync(file).mode & 0o777).toBe(0o600);
  expect(lstatSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
  await expect(readOrCreateSecret(file)).resolves.toBe(made);
});

// Handing a file to another user takes root (CI runs tests as root).
(process.getuid?.() === 0 ? it : it.skip)('refuses a password file another user planted instead of using the password they know', async () => {
  const file = join(dir, 'admin-password');
  writeFileSync(file, 'known-to-them', { mode: 0o600 });
  chownSync(file, 65534, 65534);
  await expect(readOrCreateSecret(file)).rejects.toThrow(/refusing to use .*admin-password: it belongs to user 65534/);
});

it('refuses a link planted at the path, neither reading nor writing where it points', async () => {
  const theirs = join(dir, 'theirs');
  writeFileSync(theirs, 'known-to-them', { mode: 0o600 });
  symlinkSync(theirs, join(dir, 'admin-password'));
  symlinkSync(join(dir, 'nowhere-yet'), join(dir, 'gateway-secret'));
  await expect(readOrCreateSecret(join(dir, 'admin-password'))).rejects.toThrow(/symbolic link/);
  await expect(readOrCreateSecret(join(dir, 'gateway-secret'))).rejects.toThrow(/symbolic link/);
  expect(() => lstatSync(join(dir, 'nowhere-yet'))).toThrow(/ENOENT/);
  expect(readFileSync(theirs, 'utf8')).toBe('known-to-them');
});

it('refuses a secret file other users can read', async () => {
  writeFileSync(join(dir, 'gateway-secret'), 'seen-by-all');
  chmodSync(join(dir, 'gateway-secret'), 0o644);
  await expect(readOrCreateSecret(join(dir, 'gateway-secret'))).rejects.toThrow(/other users can open it/);
});
