// How often a failing channel is tried again. Pure.

/** Exponential back-off of one alert's delivery to one channel. */
export interface RetryPolicy {
  /** Wait after the first failed attempt. */
  initialMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
  /** Attempts in all (the first included) before the alert is dropped. */
  maxAttempts: number;
}

/** 1 s doubling to 5 min, 10 attempts: an alert is given up about 13.5 min after its first try. */
export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1_000, maxMs: 300_000, maxAttempts: 10 };

/**
 * The wait after `failed` failed attempts, or null when no attempt is left.
 *
 * Example (default policy): 1 → 1 s, 2 → 2 s, 3 → 4 s, 8 → 128 s, 9 → 256 s, 10 → null;
 * with maxAttempts 20: 10 → 300 s (512 s capped).
 */
export function retryDelay(failed: number, policy: RetryPolicy = DEFAULT_RETRY): number | null {
  if (failed >= policy.maxAttempts) return null;
  // 2^30 is far past any cap; clamping keeps the number finite.
  return Math.min(policy.initialMs * 2 ** Math.min(Math.max(failed - 1, 0), 30), policy.maxMs);
}
