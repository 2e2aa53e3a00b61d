// DSR's clone of a remote repository, under `<data>/repos/`: a bare repository whose one ref,
// refs/dsr/source, is force-updated to the remote branch on each fetch (so a force-push to an
// older commit is followed like any other push). Reading a commit's manifests reuses git.ts.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitLocation } from './git.js';
import { GitError } from './git.js';
import { gitEnvironment, redact } from './git-env.js';
import type { RemoteConfig } from './remote-config.js';

/** The ref DSR keeps the fetched branch head in. */
export const SOURCE_REF = 'refs/dsr/source';

/** The bare clone of one remote; `fetch()` brings the branch head, `head()` says which it is. */
export class RemoteRepo {
  readonly dir: string;
  readonly location: GitLocation;
  private env: NodeJS.ProcessEnv = process.env;

  private constructor(readonly config: RemoteConfig, dir: string) {
    this.dir = dir;
    this.location = { topLevel: dir, gitDir: dir, prefix: config.path };
  }

  /**
   * Opens (creating when needed) the clone of `config.url` under `<reposDir>/<hash of the URL and
   * branch>`, so changing the URL never mixes two repositories' objects.
   */
  static async open(config: RemoteConfig, reposDir: string): Promise<RemoteRepo> {
    const id = createHash('sha256').update(`${config.url}\0${config.branch}`).digest('hex').slice(0, 16);
    const repo = new RemoteRepo(config, join(reposDir, id));
    await mkdir(reposDir, { recursive: true, mode: 0o700 });
    repo.env = { ...process.env, ...gitEnvironment(config.url, config.credentials) };
    const exists = await access(join(repo.dir, 'HEAD')).then(() => true, () => false);
    if (!exists) await repo.git(['init', '--bare', '--quiet', repo.dir], reposDir);
    return repo;
  }

  /** Fetches the branch into SOURCE_REF (forced); returns the commit it now points at. */
  async fetch(timeoutMs: number): Promise<string> {
    const refspec = `+refs/heads/${this.config.branch}:${SOURCE_REF}`;
    await this.git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', this.config.url, refspec], this.dir, timeoutMs);
    const head = await this.head();
    if (!head) throw new GitError(`fetched ${this.config.branch}, but ${SOURCE_REF} is missing`, { cause: null });
    return head;
  }

  /** The commit last fetched, or null before the first successful fetch. */
  async head(): Promise<string | null> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${SOURCE_REF}^{commit}`], this.dir)).trim() || null;
    } catch {
      return null;
    }
  }

  private git(args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('git', args, { cwd, env: this.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const killed = (error as { killed?: boolean }).killed;
        const detail = redact(killed ? `no answer within ${timeoutMs / 1000} s` : String(stderr || error.message).trim(), this.config.credentials);
        // The URL is in the command, so the message names the verb only; callers add the URL.
        reject(new GitError(`git ${args[0]}`, { cause: { stderr: detail.split('\n').filter((l) => l.trim() !== '').slice(-3).join('; ') } }));
      });
    });
  }
}
