// The source of truth (SPEC §2): the manifests folder, read either as committed in git (HEAD) or
// as saved on disk. It only reads and watches; loading and validation happen in src/manifest/,
// and deciding what to do with the result happens in the controller.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ManifestFile } from '../manifest/load.js';
import { readManifestFolder } from './read-folder.js';
import { debounce, type Debouncer } from './debounce.js';
import { headCommit, locateGit, readCommittedManifests, type GitLocation } from './git.js';
import type { Source } from './source.js';

/** How the folder is read: `git` applies the committed state at HEAD, `worktree` the saved files. */
export type SourceMode = 'git' | 'worktree';

/** One reading of the manifests folder. */
export interface ManifestSnapshot {
  mode: SourceMode;
  /** The commit id in git mode; a digest of the files (`worktree:<hex>`) in worktree mode. */
  revision: string | null;
  files: ManifestFile[];
  /** Set when there is nothing to apply yet (a repository without commits): never prune on it. */
  unavailable: string | null;
}

export interface ManifestSourceOptions {
  dir: string;
  /** `auto` (the default) uses git when the folder is inside a work tree. */
  mode?: SourceMode | 'auto';
  debounceMs?: number;
  maxWaitMs?: number;
}

/** Reads and watches the manifests folder in git or worktree mode. */
export class ManifestSource implements Source {
  readonly dir: string;
  readonly mode: SourceMode;
  readonly git: GitLocation | null;
  private watcher: FSWatcher | null = null;
  private trigger: Debouncer | null = null;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;

  private constructor(dir: string, git: GitLocation | null, options: ManifestSourceOptions) {
    this.dir = dir;
    this.git = git;
    this.mode = git ? 'git' : 'worktree';
    this.debounceMs = options.debounceMs ?? 300;
    this.maxWaitMs = options.maxWaitMs ?? 2000;
  }

  /** Opens the folder; in `auto` mode decides between git and worktree. */
  static async open(options: ManifestSourceOptions): Promise<ManifestSource> {
    const dir = resolve(options.dir);
    const mode = options.mode ?? 'auto';
    const git = mode === 'worktree' ? null : await locateGit(dir);
    if (mode === 'git' && !git) {
      throw new Error(`--source git: ${dir} is not inside a git work tree; commit it to a repository or use --source worktree`);
    }
    return new ManifestSource(dir, git, options);
  }

  /**
   * The commit HEAD points at in git mode (cheap: no tree is read), so a resync can skip
   * re-reading and re-parsing an unchanged commit; null in worktree mode, where only reading the
   * files tells whether they changed.
   */
  async headRevision(): Promise<string | null> {
    return this.git ? headCommit(this.git) : null;
  }

  /** Reads the current state of the folder (HEAD in git mode, saved files otherwise). */
  async read(): Promise<ManifestSnapshot> {
    if (this.git) {
      const commit = await headCommit(this.git);
      if (!commit) {
        return {
          mode: 'git',
          revision: null,
          files: [],
          unavailable: `the git repository at ${this.git.topLevel} has no commits yet: commit the manifests, or run with --source worktree`,
        };
      }
      return { mode: 'git', revision: commit, files: await readCommittedManifests(this.git, commit), unavailable: null };
    }
    const files = await readManifestFolder(this.dir);
    return { mode: 'worktree', revision: worktreeRevision(files), files, unavailable: null };
  }

  /**
   * Calls `onChange` (debounced) when what `read()` returns may have changed: in git mode on a
   * new commit, checkout, reset or branch switch (HEAD, refs and the reflog move); in worktree
   * mode on any file change under the folder.
   */
  async watch(onChange: () => void, onError: (error: Error) => void = () => {}): Promise<void> {
    if (this.watcher) throw new Error('ManifestSource.watch called twice');
    this.trigger = debounce(onChange, this.debounceMs, this.maxWaitMs);
    const poke = (): void => this.trigger?.poke();
    if (this.git) {
      const gitDir = this.git.gitDir;
      // Only HEAD, refs, packed-refs and the HEAD reflog: never descend into objects/.
      const watched = (path: string): boolean => {
        const rel = path.slice(gitDir.length).replace(/^\/+/, '');
        return rel === '' || rel === 'HEAD' || rel === 'packed-refs' || rel === 'refs' || rel.startsWith('refs/') ||
          rel === 'logs' || rel === 'logs/HEAD';
      };
      this.watcher = watch(gitDir, { ignoreInitial: true, ignored: (path) => !watched(path) });
    } else {
      this.watcher = watch(this.dir, {
        ignoreInitial: true,
        ignorePermissionErrors: true,
        ignored: (path) => path.slice(this.dir.length).split('/').some((p) => p.startsWith('.') || p === 'node_modules'),
      });
    }
    this.watcher.on('all', poke);
    // An unreadable subfolder or the inotify limit must not crash DSR (and its gateway): report it;
    // the controller's periodic resync keeps loading the manifests regardless.
    this.watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));
    await new Promise<void>((ready) => this.watcher!.once('ready', () => ready()));
  }

  /** Stops watching. */
  async close(): Promise<void> {
    this.trigger?.cancel();
    await this.watcher?.close();
    this.watcher = null;
  }
}

/** A stable digest of the files read in worktree mode, so events can say which state was applied. */
export function worktreeRevision(files: ManifestFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f.path).update('\0');
    hash.update('content' in f ? f.content : `problem:${f.problem}`).update('\0');
  }
  return `worktree:${hash.digest('hex').slice(0, 12)}`;
}
