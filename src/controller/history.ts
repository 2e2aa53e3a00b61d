// Revision history and rollback pins of a service (SPEC §10). Pure: the controller persists the
// values in the store and calls these to decide. A pin holds a service at its manifest of an
// earlier revision until an operator unpins it or a commit changes that service's manifest.
import type { ServiceSpec } from '../manifest/service-spec.js';
import { upgradeStoredSpec } from '../manifest/stored-spec.js';

/** How the rollout of one revision of a service ended. */
export type HistoryResult = 'rolled out' | 'aborted' | 'rolled back';

/** One revision applied to a service. */
export interface HistoryEntry {
  revision: string | null;
  /** ISO 8601 time it was reached. */
  at: string;
  /** `name=image` of each version, e.g. `v2=dsr-example:v2`. */
  versions: string[];
  result: HistoryResult;
  /** The service's manifest at that revision: what a rollback to it runs again. */
  spec: ServiceSpec;
}

/** A service held at an earlier revision's manifest. */
export interface Pin {
  revision: string | null;
  at: string;
  /** The manifest to run (from the history entry). */
  spec: ServiceSpec;
  /** The service's manifest when it was pinned; a commit that changes it ends the pin. */
  manifest: ServiceSpec;
}

/** Entries kept per service. */
export const HISTORY_LIMIT = 30;

/** `name=image` per version. */
export function versionsOf(spec: ServiceSpec): string[] {
  return spec.versions.map((v) => `${v.name}=${v.image}`);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The history with `entry` added, unless the last entry already records this spec with this
 * result (a commit that touched another service is no new revision of this one). Oldest first,
 * at most HISTORY_LIMIT entries.
 */
export function addHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const last = history.at(-1);
  if (last && last.result === entry.result && same(last.spec, entry.spec)) return [...history];
  return [...history, entry].slice(-HISTORY_LIMIT);
}

/**
 * The entry a rollback goes to: with `to`, the newest entry whose revision starts with it (at
 * least 7 characters, as git abbreviates); without, the newest entry that rolled out and whose
 * manifest differs from what runs now. A string says why there is none.
 * Example: entries [a rolled out, b rolled out, c aborted], running b → a.
 */
export function rollbackTarget(history: readonly HistoryEntry[], running: ServiceSpec | null, to: string | null): HistoryEntry | string {
  if (to !== null) {
    if (to.length < 7) return `--to needs at least 7 characters of a commit id, got ${JSON.stringify(to)}`;
    const found = [...history].reverse().find((e) => e.revision?.startsWith(to));
    return found ?? `no revision ${to} in this service's history (dsr history shows them)`;
  }
  const found = [...history].reverse().find((e) => e.result === 'rolled out' && !same(e.spec, running));
  return found ?? 'no earlier revision rolled out: nothing to roll back to (dsr history shows the revisions)';
}

/** The spec a pin runs: its manifest with no rollout steps, so the machine only waits for health. */
export function fastTrack(spec: ServiceSpec): ServiceSpec {
  return { ...spec, rollout: { ...spec.rollout, steps: [] } };
}

/** Whether a newly loaded manifest of the service ends its pin (the commit changed it). */
export function pinEndedBy(pin: Pin, manifest: ServiceSpec | undefined): boolean {
  return manifest !== undefined && !same(pin.manifest, manifest);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The stored history of a service, [] when absent or not ours. */
export function readHistory(stored: unknown): HistoryEntry[] {
  if (!Array.isArray(stored)) return [];
  // Entries written by an older DSR lack the SPEC §8 fields: upgraded, so comparisons stay fair.
  return stored
    .filter((e): e is HistoryEntry => isRecord(e) && typeof e.at === 'string' && isRecord(e.spec) && Array.isArray(e.versions))
    .map((e) => ({ ...e, spec: upgradeStoredSpec(e.spec) }));
}

/** The stored pin of a service, null when absent or not ours. */
export function readPin(stored: unknown): Pin | null {
  if (!(isRecord(stored) && isRecord(stored.spec) && isRecord(stored.manifest) && typeof stored.at === 'string')) return null;
  const pin = stored as unknown as Pin;
  return { ...pin, spec: upgradeStoredSpec(pin.spec), manifest: upgradeStoredSpec(pin.manifest) };
}
