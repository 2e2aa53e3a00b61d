// How long the supervisor waits before restarting a process that keeps dying. Pure.

/**
 * Exponential back-off from 500 ms, capped at 30 s: failures 1 → 500 ms, 2 → 1 s, 3 → 2 s,
 * 4 → 4 s, … 7 and more → 30 s. A process that ran a minute counts as failing for the first time again.
 */
export function restartDelay(failures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));
}
