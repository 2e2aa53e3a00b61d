// Replacement back-off per (service, version), like Kubernetes' CrashLoopBackOff (SPEC §3): a
// broken image must not make DSR hot-loop creating and removing containers. Pure: the controller
// keeps one BackoffState per version and passes `now` in.

/** The failure history of one version's instances. */
export interface BackoffState {
  /** Instances of this version that failed (died or turned unhealthy) since the last quiet period. */
  failures: number;
  lastFailureAt: number | null;
  /** No replacement before this time; `null` = no wait. */
  nextAttemptAt: number | null;
}

/** The back-off curve: first wait 10 s, doubling, capped at 5 min; forgotten after 10 quiet min. */
export const BACKOFF = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 } as const;

/**
 * The wait before replacing after the `failures`-th failure.
 *
 * Example: 1 → 0 (a single crash is replaced at once), 2 → 10 s, 3 → 20 s, 4 → 40 s, 5 → 80 s,
 * 6 → 160 s, 7 → 300 s (320 s capped), 8+ → 300 s.
 */
export function backoffDelay(failures: number): number {
  if (failures <= 1) return 0;
  // Past 2^5 the cap has long been reached; clamping the exponent keeps the number finite.
  const exponent = Math.min(failures - 2, 30);
  return Math.min(BACKOFF.initialMs * 2 ** exponent, BACKOFF.maxMs);
}

/**
 * Records that an instance of the version failed at `now` and returns the new history. A history
 * that has already gone quiet (see settle) starts over, so the first failure after a calm period
 * is replaced at once.
 *
 * Example: failures at t=0, 1 s, 12 s → nextAttemptAt 0, 11 s (1 s + 10 s), 32 s (12 s + 20 s).
 */
export function recordFailure(state: BackoffState | undefined, now: number): BackoffState {
  const failures = (settle(state, now)?.failures ?? 0) + 1;
  return { failures, lastFailureAt: now, nextAttemptAt: now + backoffDelay(failures) };
}

/** Whether a replacement may be created at `now`: no history, or the wait is over. */
export function canAttempt(state: BackoffState | undefined, now: number): boolean {
  return !state || state.nextAttemptAt === null || now >= state.nextAttemptAt;
}

/**
 * Forgets the history once the version has gone `resetAfterMs` without a failure (returns
 * undefined), else returns it unchanged. The quiet period counts from the later of the last
 * failure and the end of its wait: the replacement only starts then, and it must itself have run
 * 10 minutes without failing (as Kubernetes resets after 10 minutes of running fine).
 *
 * Example: 7th failure at t=0 → nextAttemptAt 300 s → history kept until t=900 s, gone from then.
 */
export function settle(state: BackoffState | undefined, now: number): BackoffState | undefined {
  if (!state || state.failures <= 0) return undefined;
  const quietSince = Math.max(state.lastFailureAt ?? -Infinity, state.nextAttemptAt ?? -Infinity);
  if (quietSince === -Infinity || now - quietSince >= BACKOFF.resetAfterMs) return undefined;
  return state;
}

/**
 * A one-line account for status and events while a replacement is being held back, e.g.
 * "back-off: 3 replacements failed, next attempt in 20s"; null when nothing is waiting, because
 * status reads any back-off as Degraded and a version that may be replaced now is not stuck.
 */
export function describeBackoff(state: BackoffState | undefined, now: number): string | null {
  if (!state || canAttempt(state, now) || state.nextAttemptAt === null) return null;
  const noun = state.failures === 1 ? 'replacement' : 'replacements';
  return `back-off: ${state.failures} ${noun} failed, next attempt in ${formatWait(state.nextAttemptAt - now)}`;
}

/** Rounds a wait up to whole seconds: 999 ms → "1s", 40 s → "40s", 90 s → "1m30s", 300 s → "5m". */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)}m${rest ? `${rest}s` : ''}`;
}
