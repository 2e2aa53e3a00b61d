// The digest of a secret file that goes into the ContainerTemplate (and so into state.json and
// the `dsr.spec-hash` label) instead of its values. A plain sha256 of a short value (a 6-digit
// PIN, a dictionary password) is reversed by trying candidates; an HMAC-SHA256 keyed with 32
// random bytes that never leave the secrets folder cannot be, without that key. The key is made
// once per installation (0600, `.digest-key`: no secret name starts with a dot, so it never
// collides with `<name>.env`) and kept: losing it changes every digest, which rolls out every
// service with secrets once, nothing worse.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DIGEST_KEY_FILE = '.digest-key';

/** 16 hex digits of HMAC-SHA256(key, content): stable for the same content and key. */
export function secretDigest(key: Buffer, content: Buffer | string): string {
  return createHmac('sha256', key).update(content).digest('hex').slice(0, 16);
}

/** The installation's digest key in `dir`, created (with the folder, 0700) on first use. */
export async function digestKey(dir: string): Promise<Buffer> {
  const file = join(dir, DIGEST_KEY_FILE);
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: two processes racing on first use both end up reading the one key that won.
    await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFile(file);
}
