// Turns one load of the manifests folder into the desired state DSR acts on. The rule (SPEC §1):
// a service declared by a file that fails to parse or validate keeps its last valid desired state;
// every other file applies as written.
import type { LoadResult, ManifestError, ServiceSpec } from '../manifest/service-spec.js';

export interface DesiredState {
  /** The revision (commit id or worktree digest) this state was loaded from. */
  revision: string | null;
  /** Services that must run: valid now, or kept at their last valid state. */
  services: Map<string, ServiceSpec>;
  /** Services declared by a broken file, with that file's errors. */
  invalid: Map<string, { file: string; errors: ManifestError[]; kept: boolean }>;
  /** Services declared by a broken file with no last valid state: leave their containers alone. */
  frozen: Set<string>;
  /** Broken files whose service names could not be read. */
  unnamedFailures: number;
  errors: ManifestError[];
}

/** An empty desired state (before the first load). */
export function emptyDesiredState(): DesiredState {
  return { revision: null, services: new Map(), invalid: new Map(), frozen: new Set(), unnamedFailures: 0, errors: [] };
}

/**
 * Merges a load with the last valid specs. Example: `web.yaml` breaks while declaring `web`,
 * which ran at revision A: `web` stays at its revision-A spec and is listed in `invalid`.
 */
export function mergeLoad(load: LoadResult, revision: string | null, lastValid: ReadonlyMap<string, ServiceSpec>): DesiredState {
  const state = emptyDesiredState();
  state.revision = revision;
  state.errors = load.errors;
  for (const spec of load.services) state.services.set(spec.name, spec);
  for (const failed of load.failedFiles) {
    if (failed.serviceNames.length === 0) state.unnamedFailures++;
    const errors = load.errors.filter((e) => e.file === failed.file);
    // A broken file still declares what it declared last time: a typo in a name (`Web`), or a
    // second document whose name cannot be read, must not make DSR prune the service it had.
    const names = [...new Set([
      ...failed.serviceNames,
      ...[...lastValid.values()].filter((s) => s.source.file === failed.file).map((s) => s.name),
    ])];
    for (const name of names) {
      if (state.services.has(name)) continue; // declared validly in another file
      const kept = lastValid.get(name);
      if (kept) state.services.set(name, kept);
      else state.frozen.add(name);
      state.invalid.set(name, { file: failed.file, errors, kept: Boolean(kept) });
    }
  }
  return state;
}
