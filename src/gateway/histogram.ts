// Latency histogram buckets and percentile estimates from them, as Prometheus'
// histogram_quantile does: find the bucket holding the rank, interpolate linearly inside it. Pure.

/** Upper bounds (ms) of the finite buckets; one more bucket above the last catches the rest. */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2.5, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000, 60000,
];

/** Number of buckets including the overflow bucket. */
export const BUCKET_COUNT = LATENCY_BOUNDS_MS.length + 1;

/** Index of the bucket for a latency: the first bound >= ms (12 ms -> bucket of 20), or the overflow bucket. */
export function bucketIndex(ms: number): number {
  const bounds = LATENCY_BOUNDS_MS;
  for (let i = 0; i < bounds.length; i++) if (ms <= bounds[i]!) return i;
  return bounds.length;
}

/**
 * The q-quantile (0..1) of the latencies counted in `counts` (one count per bucket), or null when
 * empty. Example: counts 10 in (10,20] and nothing else: p50 = 10 + (20-10)*5/10 = 15 ms.
 * A rank in the overflow bucket answers the highest finite bound (there is no upper edge).
 */
export function quantile(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && below + n >= rank) {
      if (i >= LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BOUNDS_MS[i]!;
      return lower + ((upper - lower) * (rank - below)) / n;
    }
    below += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}
