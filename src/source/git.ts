// Reads the manifests folder as git has it committed, with the git CLI (no libgit2 binding to
// build). DSR applies what is committed, not what an editor happens to have saved, so a
// half-finished edit never reaches Docker.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { posix } from 'node:path';
import type { ManifestFile } from '../manifest/load.js';
import { MAX_MANIFEST_BYTES, isManifestName, isSkippedFolder } from './read-folder.js';

const run = promisify(execFile);

/** The folder reader's rules applied to a path: a manifest name, under no skipped folder. */
export function isManifestPath(path: string): boolean {
  const parts = path.split('/');
  return isManifestName(parts.at(-1)!) && !parts.slice(0, -1).some(isSkippedFolder);
}

/** Where a folder sits in a git work tree. */
export interface GitLocation {
  /** Absolute path of the work tree's top level. */
  topLevel: string;
  /** Absolute path of the git directory (where HEAD and refs live). */
  gitDir: string;
  /** The folder's path relative to the top level, '' for the top itself, forward slashes. */
  prefix: string;
}

/** Error running git, with the command and git's own message. */
export class GitError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    const detail = (options.cause as { stderr?: string })?.stderr?.trim();
    super(detail ? `${what}: ${detail}` : what, options);
    this.name = 'GitError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (cause) {
    throw new GitError(`git ${args.join(' ')} (in ${cwd})`, { cause });
  }
}

/** Returns where `dir` sits in a git work tree, or null when it is not inside one (or git is missing). */
export async function locateGit(dir: string): Promise<GitLocation | null> {
  try {
    const out = await git(dir, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--show-prefix']);
    const [topLevel, gitDir, prefix = ''] = out.split('\n');
    if (!topLevel || !gitDir) return null;
    return { topLevel, gitDir, prefix: prefix.replace(/\/$/, '') };
  } catch {
    return null;
  }
}

/** The commit id HEAD points at, or null in a repository without commits. */
export async function headCommit(loc: GitLocation): Promise<string | null> {
  try {
    return (await git(loc.topLevel, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || null;
  } catch {
    return null;
  }
}

interface TreeEntry {
  mode: string;
  object: string;
  size: number;
  /** Path relative to the manifests folder. */
  path: string;
}

/** Lists the blobs under the folder at `commit` (`git ls-tree -r --long`). */
async function listTree(loc: GitLocation, commit: string): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--long', '--full-tree', commit];
  if (loc.prefix) args.push('--', `${loc.prefix}/`);
  const out = await git(loc.topLevel, args);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    // "<mode> <type> <object> <size>\t<path>"
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(record);
    if (!match || match[2] !== 'blob') continue;
    const full = match[5]!;
    const path = loc.prefix ? full.slice(loc.prefix.length + 1) : full;
    entries.push({ mode: match[1]!, object: match[3]!, size: Number(match[4]), path });
  }
  return entries;
}

/** Reads blob contents in one `git cat-file --batch` process, in the order asked. */
async function readBlobs(loc: GitLocation, objects: string[]): Promise<Buffer[]> {
  if (objects.length === 0) return [];
  const child = spawn('git', ['cat-file', '--batch'], { cwd: loc.topLevel, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // git exiting early (a broken repository) surfaces through its exit code below, not as EPIPE.
  child.stdin.on('error', () => {});
  child.stdin.end(objects.join('\n') + '\n');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new GitError('git cat-file --batch', { cause: { stderr } });
  const all = Buffer.concat(chunks);
  const blobs: Buffer[] = [];
  let at = 0;
  for (const object of objects) {
    const eol = all.indexOf(0x0a, at);
    const header = all.subarray(at, eol).toString(); // "<object> blob <size>"
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new GitError(`git cat-file: unexpected header for ${object}: ${header}`, { cause: null });
    blobs.push(all.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1; // the content is followed by a newline
  }
  return blobs;
}

/**
 * Reads the manifest files of the folder as committed at `commit`, with the same rules as the
 * folder reader: *.yaml/*.yml, dot-files and dot-folders skipped, files over 1 MiB refused,
 * symlinks followed only when they point at a committed file inside the folder.
 */
export async function readCommittedManifests(loc: GitLocation, commit: string): Promise<ManifestFile[]> {
  const entries = await listTree(loc, commit);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const wanted: Array<{ path: string; entry: TreeEntry } | ManifestFile> = [];
  const links = entries.filter((e) => e.mode === '120000' && isManifestPath(e.path));
  const linkTargets = await readBlobs(loc, links.map((e) => e.object));
  const targetOf = new Map(links.map((e, i) => [e.path, linkTargets[i]!.toString('utf8')]));

  for (const entry of entries) {
    if (!isManifestPath(entry.path)) continue;
    let blob = entry;
    if (entry.mode === '120000') {
      const target = targetOf.get(entry.path)!;
      const resolved = posix.normalize(posix.join(posix.dirname(entry.path), target));
      const inside = !posix.isAbsolute(target) && !resolved.startsWith('../') && resolved !== '..';
      const found = inside ? byPath.get(resolved) : undefined;
      if (!found || found.mode === '120000') {
        wanted.push({
          path: entry.path,
          problem: inside
            ? `symlink to ${target}, which is not a committed file in the manifests folder`
            : `symlink to ${target}, outside the manifests folder; DSR only reads files inside it`,
        });
        continue;
      }
      blob = found;
    }
    if (blob.size > MAX_MANIFEST_BYTES) {
      wanted.push({ path: entry.path, problem: `file is ${blob.size} bytes; manifests are limited to ${MAX_MANIFEST_BYTES} bytes (1 MiB)` });
      continue;
    }
    wanted.push({ path: entry.path, entry: blob });
  }
  const toRead = wanted.filter((w): w is { path: string; entry: TreeEntry } => 'entry' in w);
  const contents = await readBlobs(loc, toRead.map((w) => w.entry.object));
  const read = new Map(toRead.map((w, i) => [w.path, contents[i]!]));
  return wanted.map((w) => ('entry' in w ? { path: w.path, content: read.get(w.path)! } : w));
}
