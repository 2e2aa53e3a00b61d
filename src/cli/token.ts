// The gates' token without set-up: a `dsr run` started without DSR_TOKEN keeps a random token in
// `<data>/token` (mode 0600, reused across restarts), and the CLI on the same host reads it there
// when it talks to a DSR on a loopback address. DSR_TOKEN wins on both sides; a DSR on another
// host always needs it (its file is not here, and sending a local secret elsewhere would leak it).
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The token file's name inside the data folder. */
export const TOKEN_FILE = 'token';

/** The token the action routes require and, for the dashboard, where an operator finds it. */
export interface ServerToken {
  token: string;
  /** "the DSR_TOKEN DSR was started with" or "see /srv/dsr/data/token on the host"; never the token. */
  hint: string;
}

/** DSR_TOKEN when set (non-empty), else the token of `<dataDir>/token`, created if missing. */
export async function serverToken(envToken: string | undefined, dataDir: string): Promise<ServerToken & { created: boolean; file: string | null }> {
  if (envToken) return { token: envToken, hint: 'the DSR_TOKEN DSR was started with', created: false, file: null };
  const file = resolve(dataDir, TOKEN_FILE);
  const { token, created } = await ensureTokenFile(file);
  return { token, hint: `see ${file} on the host`, created, file };
}

/** Reads the token of `file`, creating it (0600, 32 random bytes) when missing or empty. */
export async function ensureTokenFile(file: string): Promise<{ token: string; created: boolean }> {
  const token = randomBytes(32).toString('base64url');
  try {
    // `wx`: two DSRs starting on one folder cannot both create it; the loser reads the winner's.
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
    } finally {
      await handle.close();
    }
    return { token, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the token file ${file}: ${(error as Error).message}`, { cause: error });
  }
  // A copied or restored file may have lost its mode: the token must stay readable by its owner only.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const existing = (await readFile(file, 'utf8')).trim();
  if (existing !== '') return { token: existing, created: false };
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true };
}

/** Whether a DSR URL points at this host (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(base: string): boolean {
  let host: string;
  try {
    host = new URL(base).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The token the CLI sends, and where it came from (for the message when DSR refuses it). */
export interface CliToken {
  token: string;
  from: string;
}

/**
 * DSR_TOKEN when set; else, for a DSR on loopback, the token in `<dataDir>/token`. Throws one line
 * saying what to do when neither is available.
 */
export async function cliToken(action: string, base: string, envToken: string | undefined, dataDir: string): Promise<CliToken> {
  if (envToken) return { token: envToken, from: 'DSR_TOKEN' };
  if (!isLoopbackUrl(base)) {
    throw new Error(`dsr ${action} needs DSR_TOKEN for the DSR at ${base}: the token file is only read for a DSR on this host (127.0.0.1, ::1, localhost)`);
  }
  const file = join(resolve(dataDir), TOKEN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(`dsr ${action}: DSR_TOKEN is not set and ${file} does not exist: pass --data (or set DSR_DATA) to the data folder \`dsr run\` uses, or set DSR_TOKEN`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new Error(`dsr ${action}: cannot read ${file} (permission denied): run as the user that runs DSR, or set DSR_TOKEN`);
    }
    throw new Error(`dsr ${action}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const token = text.trim();
  if (token === '') throw new Error(`dsr ${action}: ${file} is empty: restart \`dsr run\` to write a new token, or set DSR_TOKEN`);
  return { token, from: file };
}
