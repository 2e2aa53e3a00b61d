// Reads the saved manifest files of a folder (worktree mode, `dsr validate`): every *.yaml and
// *.yml below it, dot-files, dot-folders and node_modules skipped. Whatever is wrong with a file
// (too big, unreadable, a symlink leading out of the folder) becomes a per-file `problem`, so one
// bad file is reported by the loader instead of stopping the whole read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../manifest/limits.js';
import type { ManifestFile } from '../manifest/load.js';

/** Largest manifest file read (1 MiB); defined with the loader's other limits. */
export { MAX_MANIFEST_BYTES };

/** The manifests folder itself is missing or is not a folder: a usage error, not a bad manifest. */
export class ManifestFolderError extends Error {
  readonly dir: string;
  readonly reason: 'missing' | 'not-a-directory' | 'unreadable';
  constructor(dir: string, reason: ManifestFolderError['reason'], options?: { cause?: unknown }) {
    super(`manifests folder ${dir} ${ManifestFolderError.explain(reason, options?.cause)}`, options);
    this.name = 'ManifestFolderError';
    this.dir = dir;
    this.reason = reason;
  }

  private static explain(reason: ManifestFolderError['reason'], cause: unknown): string {
    const point = 'point --manifests (DSR_MANIFESTS) at the right folder';
    if (reason === 'missing') return `does not exist; create it or ${point}`;
    if (reason === 'not-a-directory') return `is not a folder; ${point}`;
    return `cannot be read (${cause instanceof Error ? cause.message : String(cause)}); check its permissions`;
  }
}

/** True for names the reader loads: `*.yaml` / `*.yml`, not dot-files. */
export function isManifestName(name: string): boolean {
  return !name.startsWith('.') && /\.ya?ml$/.test(name);
}

/** True for folder names the reader never enters: dot-folders and node_modules. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(err);
}

/**
 * Reads a whole file of at most 1 MiB, or says why not; O_NOFOLLOW so a swapped-in symlink is not
 * followed. Synchronous on purpose: a manifest is a few KiB and the page cache answers at once,
 * whereas four thread-pool round trips per file (open, fstat, read, close) made reading 1,000
 * files take over a second on a busy 2-core machine; the sync read of 1,000 files takes ~30 ms.
 */
function readCapped(path: string): Buffer | string {
  // O_NONBLOCK: a FIFO named *.yaml must not block the read forever.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return 'is not a regular file';
    if (info.size > MAX_MANIFEST_BYTES) return `file is ${info.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte (1 MiB) limit for a manifest; split it into several files`;
    // One byte more than fstat said, to notice a file that grew past the limit meanwhile.
    const buf = Buffer.alloc(info.size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, length, buf.length - length, length);
      if (bytesRead === 0 || (length += bytesRead) >= buf.length) break;
    }
    if (length > info.size) return 'changed while being read; it will be read again on the next change';
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function readOne(path: string, rel: string): ManifestFile {
  try {
    const content = readCapped(path);
    return typeof content === 'string' ? { path: rel, problem: content } : { path: rel, content };
  } catch (err) {
    return { path: rel, problem: `cannot be read (${reason(err)})` };
  }
}

type LinkVerdict = { kind: 'skip' } | { kind: 'read'; target: string } | { kind: 'problem'; problem: string };

/**
 * Decides what to do with a symlink in the folder. A link leading outside is never followed
 * (a manifest folder must not become a way to read arbitrary host files); a link to a folder
 * inside is skipped, since that folder is read where it really is (and a link to an ancestor
 * would loop forever).
 */
async function judgeLink(root: string, path: string, name: string): Promise<LinkVerdict> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (err) {
    return isManifestName(name) ? { kind: 'problem', problem: `is a symlink whose target cannot be resolved (${reason(err)})` } : { kind: 'skip' };
  }
  const isDir = (await stat(target).catch(() => null))?.isDirectory() ?? false;
  if (!isInside(root, target)) {
    if (!isManifestName(name) && !isDir) return { kind: 'skip' };
    return { kind: 'problem', problem: `is a symlink to ${target}, outside the manifests folder; DSR does not follow it (copy the file in instead)` };
  }
  return isDir || !isManifestName(name) ? { kind: 'skip' } : { kind: 'read', target };
}

/** A file to read, or one already known to be bad. */
type Pending = { rel: string; path: string } | ManifestFile;

/** Lists what to read below `dir`; reading happens afterwards, several files at a time. */
async function walk(root: string, dir: string, out: Pending[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.push({ path: relative(root, dir).split(sep).join('/'), problem: `folder cannot be read (${reason(err)})` });
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const rel = relative(root, path).split(sep).join('/');
    if (entry.isDirectory()) {
      if (!isSkippedFolder(entry.name)) await walk(root, path, out);
    } else if (entry.isSymbolicLink()) {
      if (isSkippedFolder(entry.name)) continue;
      const link = await judgeLink(root, path, entry.name);
      if (link.kind === 'read') out.push({ rel, path: link.target });
      if (link.kind === 'problem') out.push({ path: rel, problem: link.problem });
    } else if (isManifestName(entry.name)) {
      out.push(entry.isFile() ? { rel, path } : { path: rel, problem: 'is not a regular file' });
    }
  }
}

/** Reads the pending files (see readCapped for why synchronously). */
function readAll(pending: Pending[]): ManifestFile[] {
  return pending.map((p) => ('rel' in p ? readOne(p.path, p.rel) : p));
}

/**
 * Reads every manifest file below `dir`, sorted by path (relative, forward slashes).
 * Throws ManifestFolderError when `dir` is missing or not a folder.
 */
export async function readManifestFolder(dir: string): Promise<ManifestFile[]> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ManifestFolderError(dir, code === 'ENOENT' ? 'missing' : code === 'ENOTDIR' ? 'not-a-directory' : 'unreadable', { cause });
  }
  if (!(await stat(root)).isDirectory()) throw new ManifestFolderError(dir, 'not-a-directory');
  const pending: Pending[] = [];
  await walk(root, root, pending);
  const files = readAll(pending);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
