// What the controller needs from a source of manifests. Two implementations: ManifestSource (a
// local folder, in git or worktree mode) and RemoteSource (a clone of a remote repository).
import type { ManifestSnapshot, SourceMode } from './manifest-source.js';

/** Where a remote source stands, for status lines and the API. */
export interface SourceStatus {
  kind: 'local' | 'remote';
  /** The folder (local) or the repository URL without credentials (remote). */
  location: string;
  branch: string | null;
  path: string | null;
  /** The commit being applied (last fetched), null before the first successful fetch. */
  revision: string | null;
  reachable: boolean;
  /** Since when the remote is unreachable (ISO 8601), null while reachable. */
  unreachableSince: string | null;
  error: string | null;
  lastFetchAt: string | null;
  /** One line, e.g. `source unreachable since 2026-01-01T10:00:00Z, applying 0123456789ab`. */
  summary: string;
}

/** A source of manifests the controller reads, watches and resyncs. */
export interface Source {
  readonly dir: string;
  readonly mode: SourceMode;
  /** The revision `read()` would return, cheaply (null when only reading tells). */
  headRevision(): Promise<string | null>;
  read(): Promise<ManifestSnapshot>;
  /** Calls `onChange` when `read()` may return something new. */
  watch(onChange: () => void, onError?: (error: Error) => void): Promise<void>;
  close(): Promise<void>;
  /** Where the source stands (reachability of a remote), for status. */
  status?(): SourceStatus;
}
