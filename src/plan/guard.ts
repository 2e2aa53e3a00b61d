// The prune guard (SPEC §1 "Bad input"): removing services is the one thing a bad manifests
// folder could make DSR do that loses something, so it is refused whenever the folder's
// contents cannot be trusted to say which services should exist.

export interface PruneGuardInput {
  /** Services the folder validly declares (plus those kept at their last valid state). */
  declared: number;
  /** Broken files whose declared service names could not be read at all. */
  unnamedFailures: number;
  /** Services that have containers now. */
  running: ReadonlySet<string>;
  /** Names the folder still declares or that are frozen at their last valid state. */
  known: ReadonlySet<string>;
  allowEmpty: boolean;
}

/** Why pruning is blocked this pass, or null when services no longer declared may be removed. */
export function pruneBlockedReason(input: PruneGuardInput): string | null {
  const orphans = [...input.running].filter((s) => !input.known.has(s));
  if (orphans.length === 0) return null;
  if (input.unnamedFailures > 0) {
    return `not removing ${orphans.join(', ')}: ${input.unnamedFailures} manifest file(s) could not be read, and may still declare them; fix the invalid files`;
  }
  if (input.declared === 0 && !input.allowEmpty) {
    return `not removing every running service (${orphans.join(', ')}): the manifests folder declares none; restart DSR with --allow-empty if that is intended`;
  }
  return null;
}
