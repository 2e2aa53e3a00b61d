// A remote repository as the source of truth (SPEC §10): DSR fetches the branch on an interval
// and when a webhook asks, and applies the fetched head exactly as a local commit is applied.
// A remote that cannot be reached is reported (an event, a status line) while DSR keeps applying
// the last commit it fetched: never a teardown.
import type { NewEvent } from '../events/types.js';
import { debounce, type Debouncer } from './debounce.js';
import { readCommittedManifests } from './git.js';
import type { ManifestSnapshot } from './manifest-source.js';
import type { RemoteConfig } from './remote-config.js';
import { RemoteRepo } from './remote-repo.js';
import type { Source, SourceStatus } from './source.js';

export interface RemoteSourceOptions {
  config: RemoteConfig;
  /** `<data>/repos`. */
  reposDir: string;
  /** Records an event; never throws. */
  record: (event: NewEvent) => Promise<void>;
  log?: (message: string) => void;
  now?: () => number;
  /** A fetch that takes longer is abandoned (and counts as unreachable). */
  fetchTimeoutMs?: number;
}

/** Short commit for messages. */
const short = (rev: string | null): string => (rev ? rev.slice(0, 12) : 'nothing yet');

/** Follows one branch of a remote repository. */
export class RemoteSource implements Source {
  readonly mode = 'git' as const;
  readonly dir: string;
  private readonly now: () => number;
  private fetched: string | null = null;
  private lastFetchAt: number | null = null;
  private unreachable: { since: number; error: string } | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private trigger: Debouncer | null = null;
  private onChange: () => void = () => {};
  private closed = false;

  private constructor(private readonly options: RemoteSourceOptions, private readonly repo: RemoteRepo) {
    this.now = options.now ?? Date.now;
    this.dir = options.config.url;
  }

  /** Opens the clone and fetches once; an unreachable remote is reported, not thrown. */
  static async open(options: RemoteSourceOptions): Promise<RemoteSource> {
    const repo = await RemoteRepo.open(options.config, options.reposDir);
    const source = new RemoteSource(options, repo);
    source.fetched = await repo.head();
    await source.fetchNow();
    return source;
  }

  /** The clone's folder (for logs). */
  get cloneDir(): string {
    return this.repo.dir;
  }

  async headRevision(): Promise<string | null> {
    return this.fetched;
  }

  async read(): Promise<ManifestSnapshot> {
    const commit = this.fetched;
    if (!commit) {
      const why = this.unreachable ? `: ${this.unreachable.error}` : '';
      return {
        mode: 'git', revision: null, files: [],
        unavailable: `nothing fetched yet from ${this.options.config.url} (branch ${this.options.config.branch})${why}; DSR retries every ${this.options.config.pollMs / 1000} s`,
      };
    }
    return { mode: 'git', revision: commit, files: await readCommittedManifests(this.repo.location, commit), unavailable: null };
  }

  /** Polls every `pollMs`; `onChange` runs when a fetch moved the branch head. */
  async watch(onChange: () => void): Promise<void> {
    this.onChange = onChange;
    this.timer = setInterval(() => void this.fetchNow(), this.options.config.pollMs);
    this.timer.unref();
    // A burst of webhook calls (a push of ten commits, a retrying forge) gives one fetch.
    this.trigger = debounce(() => void this.fetchNow(), 50, 500);
  }

  /** Asks for a fetch soon (a webhook); calls within 50 ms of each other give one fetch. */
  requestFetch(): void {
    if (this.trigger) this.trigger.poke();
    else void this.fetchNow();
  }

  /** Fetches now; a fetch already running is followed by exactly one more. */
  fetchNow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.fetchOnce().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.fetchNow();
      }
    });
    return this.running;
  }

  private async fetchOnce(): Promise<void> {
    const { config, record } = this.options;
    let head: string;
    try {
      head = await this.repo.fetch(this.options.fetchTimeoutMs ?? 60_000);
    } catch (error) {
      const message = (error as Error & { cause?: { stderr?: string } }).cause?.stderr || (error as Error).message;
      if (!this.unreachable) {
        this.unreachable = { since: this.now(), error: message };
        await record({
          kind: 'source.unreachable', revision: this.fetched,
          message: `cannot fetch ${config.url} (branch ${config.branch}): ${message}; ${this.fetched ? `still applying ${short(this.fetched)}` : 'nothing to apply yet'}, retrying every ${config.pollMs / 1000} s`,
          data: { url: config.url, branch: config.branch, error: message },
        });
      } else {
        this.unreachable.error = message;
      }
      return;
    }
    this.lastFetchAt = this.now();
    if (this.unreachable) {
      const since = new Date(this.unreachable.since).toISOString();
      this.unreachable = null;
      await record({ kind: 'source.reachable', revision: head, message: `${config.url} reachable again (unreachable since ${since})`, data: { url: config.url, since } });
    }
    if (head !== this.fetched) {
      const previous = this.fetched;
      this.fetched = head;
      await record({
        kind: 'source.fetched', revision: head,
        message: `fetched ${config.branch} of ${config.url}: ${short(previous)} -> ${short(head)}`,
        data: { url: config.url, branch: config.branch, from: previous, to: head },
      });
      this.onChange();
    }
  }

  status(): SourceStatus {
    const { config } = this.options;
    const since = this.unreachable ? new Date(this.unreachable.since).toISOString() : null;
    return {
      kind: 'remote', location: config.url, branch: config.branch, path: config.path || '.',
      revision: this.fetched, reachable: this.unreachable === null, unreachableSince: since,
      error: this.unreachable?.error ?? null,
      lastFetchAt: this.lastFetchAt === null ? null : new Date(this.lastFetchAt).toISOString(),
      summary: since
        ? `source unreachable since ${since}, applying ${short(this.fetched)}`
        : `source ${config.url} (${config.branch}${config.path ? `, ${config.path}` : ''}) at ${short(this.fetched)}`,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.trigger?.cancel();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
