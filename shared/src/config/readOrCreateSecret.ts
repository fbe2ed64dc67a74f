import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { createPrivateFile, ensureOwnedFolder, readPrivateFile } from '../files/ownedPaths';

const randomSecret = () => randomBytes(18).toString('base64url');

/**
 * A secret kept in a file (mode 600): made on first use, read back on every
 * later start so an embedded setup survives restarts. Production passes
 * secrets through its environment instead. A file we did not make alone (a
 * link, another user's, readable by others) is refused, never read.
 */
export async function readOrCreateSecret(file: string, make: () => string = randomSecret): Promise<string> {
  const existing = await readPrivateFile(file);
  if (existing !== undefined) return existing.trim();
  await ensureOwnedFolder(dirname(file), { mode: 0o700 });
  const secret = make();
  try {
    await createPrivateFile(file, secret);
  } catch (error) {
    // Another process made it first: use theirs, checked like any other.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateSecret(file, make);
    throw error;
  }
  return secret;
}
