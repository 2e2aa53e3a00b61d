// Feeds the chart series (series.ts) from the gateway's cumulative counters, the same totals()
// /metrics scrapes. Every 5 s the sampler reads them and stores the difference with the previous
// reading as one bucket: counts and the latency histogram are exact per bucket (p50/p99 are
// computed from the histogram's difference), and the gateway's hot path stays untouched.
// The arithmetic (bucketDelta) is pure; SeriesSampler only remembers the previous reading.
import { quantile } from '../gateway/histogram.js';
import type { SeriesTotals } from '../gateway/metrics.js';
import { BUCKET_MS, bucketStart, type BucketSample, type SeriesStore } from './series.js';

/**
 * The bucket between two readings of one series. A counter that went down means the gateway
 * dropped and re-created the series (idle pruning): the new reading counts from zero, as
 * Prometheus' rate() treats a counter reset.
 *
 * Example: requests 100 → 130, 5xx 2 → 5, failures 0 → 1, latency counts +30 in (10,20]
 *   → { requests: 30, errors: 4, latencyP50Ms: 15, latencyP99Ms: 19.9 }.
 */
export function bucketDelta(previous: SeriesTotals | undefined, current: SeriesTotals): BucketSample {
  const reset = !previous || current.requests < previous.requests || current.latencyCount < previous.latencyCount;
  const base = reset ? undefined : previous;
  const counts = current.latencyBuckets.map((b, i) => {
    // Cumulative counts per bound → count per bucket, minus the previous reading's.
    const own = b.count - (i > 0 ? current.latencyBuckets[i - 1]!.count : 0);
    const before = base ? base.latencyBuckets[i]!.count - (i > 0 ? base.latencyBuckets[i - 1]!.count : 0) : 0;
    return Math.max(0, own - before);
  });
  return {
    requests: current.requests - (base?.requests ?? 0),
    errors: current.errors5xx + current.upstreamFailures - (base ? base.errors5xx + base.upstreamFailures : 0),
    latencyP50Ms: quantile(counts, 0.5),
    latencyP99Ms: quantile(counts, 0.99),
  };
}

/** Reads the gateway's totals once per bucket and records the differences. */
export class SeriesSampler {
  private previous = new Map<string, SeriesTotals>();

  constructor(private readonly store: SeriesStore, private readonly totals: () => SeriesTotals[]) {}

  /**
   * Records the bucket that ended at or before `nowMs` (the tick runs just after a bucket's end).
   * A series with no new request records nothing: its bucket then reads as zero requests.
   */
  sample(nowMs: number): void {
    const start = bucketStart(nowMs) - BUCKET_MS;
    const next = new Map<string, SeriesTotals>();
    for (const t of this.totals()) {
      const key = `${t.service}\u0000${t.version}`;
      next.set(key, t);
      const delta = bucketDelta(this.previous.get(key), t);
      if (delta.requests > 0) this.store.record(t.service, t.version, start, delta);
    }
    this.previous = next;
    this.store.prune(nowMs);
  }

  /** Takes a first reading without recording it, so traffic from before the start is not one huge bucket. */
  prime(): void {
    this.previous = new Map(this.totals().map((t) => [`${t.service}\u0000${t.version}`, t]));
  }

  /** Samples just after every bucket boundary until the returned function is called. */
  start(clock: () => number = Date.now): () => void {
    this.prime();
    let timer: NodeJS.Timeout;
    const schedule = (): void => {
      // 50 ms past the boundary: the bucket is over, and a late timer still lands in the next one.
      const wait = bucketStart(clock()) + BUCKET_MS + 50 - clock();
      timer = setTimeout(() => {
        this.sample(clock());
        schedule();
      }, wait);
      timer.unref();
    };
    schedule();
    return () => clearTimeout(timer);
  }
}
