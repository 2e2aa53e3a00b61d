// Per service and version: requests, 5xx, upstream failures and a latency histogram, in
// 1-second buckets in a ring covering the last 10 minutes (rollout analysis reads sliding
// windows) plus cumulative totals (for Prometheus). Pure: callers pass the time.
//
// Retention: an analysis window stays open while its checks are inconclusive (a canary waiting
// for traffic), so it can grow long; the rollout machine judges at most its last 10 minutes
// (src/rollout/check.ts MAX_WINDOW_MS, kept within RING_SECONDS by a test) and says so. A longer
// ring would cost memory per series (about 120 bytes per second) for a rate so low that ten
// minutes still hold fewer than minRequests requests.
//
// Counting rules: every attempt at an instance counts as one request of that instance's version,
// with exactly one outcome — a response (5xx or not, latency recorded when it ends), an upstream
// failure (refused, reset, timed out, cut mid-body), or a client abort (neither). So errors never
// exceed requests, and a canary that refuses connections is charged even when a retry on the
// stable version saved the client. Requests that reached no version (503 "no healthy instance")
// are counted under version ''.
import { BUCKET_COUNT, LATENCY_BOUNDS_MS, bucketIndex, quantile } from './histogram.js';

/** Seconds kept in the ring: at least the longest window rollout analysis judges. */
export const RING_SECONDS = 600;

/** Aggregates over a window. */
export interface WindowStats {
  requests: number;
  /** 5xx responses plus upstream failures. */
  errors: number;
  upstreamFailures: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

/** Cumulative counters of one series, for /metrics. */
export interface SeriesTotals {
  service: string;
  version: string;
  requests: number;
  errors5xx: number;
  upstreamFailures: number;
  /** Cumulative counts per upper bound, Prometheus style; the last bound is Infinity. */
  latencyBuckets: Array<{ leMs: number; count: number }>;
  latencySumMs: number;
  latencyCount: number;
}

/**
 * One completed second of a series, as a gateway worker hands it to the controller (which adds
 * the seconds of every worker into one series, src/plane/fleet.ts). `latency` is sparse:
 * [bucket index, count] pairs.
 */
export interface SecondSample {
  second: number;
  requests: number;
  errors5xx: number;
  failures: number;
  latency: Array<[number, number]>;
}

/** The counters of one (service, version). */
export class MetricSeries {
  private readonly tags = new Float64Array(RING_SECONDS).fill(-1);
  private readonly requests = new Uint32Array(RING_SECONDS);
  private readonly errors5xx = new Uint32Array(RING_SECONDS);
  private readonly failures = new Uint32Array(RING_SECONDS);
  private readonly latency = new Uint32Array(RING_SECONDS * BUCKET_COUNT);
  private readonly total = { requests: 0, errors5xx: 0, failures: 0, latencySumMs: 0, latency: new Float64Array(BUCKET_COUNT) };
  /** Time of the last record, for pruning idle series. */
  lastRecordMs = -Infinity;

  constructor(readonly service: string, readonly version: string) {}

  /** Records a response with `status` whose attempt took latencyMs. */
  response(nowMs: number, status: number, latencyMs: number): void {
    const b = bucketIndex(latencyMs);
    const error = status >= 500 ? 1 : 0;
    this.total.requests++;
    this.total.errors5xx += error;
    this.total.latency[b]!++;
    this.total.latencySumMs += latencyMs;
    const slot = this.slot(nowMs);
    if (slot === -1) return;
    this.requests[slot]!++;
    this.errors5xx[slot]! += error;
    this.latency[slot * BUCKET_COUNT + b]!++;
  }

  /** Records an attempt that failed at the connection level. */
  failure(nowMs: number): void {
    this.total.requests++;
    this.total.failures++;
    const slot = this.slot(nowMs);
    if (slot === -1) return;
    this.requests[slot]!++;
    this.failures[slot]!++;
  }

  /** Records an attempt the client abandoned before it completed. */
  aborted(nowMs: number): void {
    this.total.requests++;
    const slot = this.slot(nowMs);
    if (slot !== -1) this.requests[slot]!++;
  }

  /** Aggregates of every 1-second bucket overlapping [fromMs, toMs) still in the ring. */
  window(fromMs: number, toMs: number): WindowStats {
    const counts = new Float64Array(BUCKET_COUNT);
    let requests = 0;
    let errors5xx = 0;
    let failures = 0;
    const last = Math.ceil(toMs / 1000) - 1;
    const first = Math.max(Math.floor(fromMs / 1000), last - RING_SECONDS + 1);
    for (let s = first; s <= last; s++) {
      const slot = s % RING_SECONDS;
      if (s < 0 || this.tags[slot] !== s) continue;
      requests += this.requests[slot]!;
      errors5xx += this.errors5xx[slot]!;
      failures += this.failures[slot]!;
      for (let b = 0; b < BUCKET_COUNT; b++) counts[b]! += this.latency[slot * BUCKET_COUNT + b]!;
    }
    return { requests, errors: errors5xx + failures, upstreamFailures: failures, latencyP50Ms: quantile(counts, 0.5), latencyP99Ms: quantile(counts, 0.99) };
  }

  /** The seconds in (afterSecond, beforeSecond) still in the ring that recorded anything, oldest first. */
  seconds(afterSecond: number, beforeSecond: number): SecondSample[] {
    const out: SecondSample[] = [];
    const first = Math.max(afterSecond + 1, beforeSecond - RING_SECONDS, 0);
    for (let s = first; s < beforeSecond; s++) {
      const slot = s % RING_SECONDS;
      if (this.tags[slot] !== s || this.requests[slot] === 0) continue;
      const latency: Array<[number, number]> = [];
      for (let b = 0; b < BUCKET_COUNT; b++) {
        const n = this.latency[slot * BUCKET_COUNT + b]!;
        if (n > 0) latency.push([b, n]);
      }
      out.push({ second: s, requests: this.requests[slot]!, errors5xx: this.errors5xx[slot]!, failures: this.failures[slot]!, latency });
    }
    return out;
  }

  /** Adds another process's second to the ring (not to the totals, which each process reports whole). */
  addSecond(sample: SecondSample): void {
    const slot = this.slot(sample.second * 1000);
    if (slot === -1) return;
    this.requests[slot]! += sample.requests;
    this.errors5xx[slot]! += sample.errors5xx;
    this.failures[slot]! += sample.failures;
    for (const [b, n] of sample.latency) if (b >= 0 && b < BUCKET_COUNT) this.latency[slot * BUCKET_COUNT + b]! += n;
  }

  /** Cumulative counters since the series was created. */
  totals(): SeriesTotals {
    let cumulative = 0;
    const latencyBuckets = Array.from(this.total.latency, (n, i) => {
      cumulative += n;
      return { leMs: i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! : Infinity, count: cumulative };
    });
    const t = this.total;
    return { service: this.service, version: this.version, requests: t.requests, errors5xx: t.errors5xx, upstreamFailures: t.failures, latencyBuckets, latencySumMs: t.latencySumMs, latencyCount: cumulative };
  }

  // The ring slot for nowMs, cleared when it last held an older second; -1 for a time older than
  // the slot's content (a clock that stepped back), which then only counts in the totals.
  private slot(nowMs: number): number {
    this.lastRecordMs = nowMs;
    const s = Math.floor(nowMs / 1000);
    if (s < 0) return -1;
    const slot = s % RING_SECONDS;
    const tag = this.tags[slot]!;
    if (tag === s) return slot;
    if (tag > s) return -1;
    this.tags[slot] = s;
    this.requests[slot] = 0;
    this.errors5xx[slot] = 0;
    this.failures[slot] = 0;
    this.latency.fill(0, slot * BUCKET_COUNT, (slot + 1) * BUCKET_COUNT);
    return slot;
  }
}

/** Every series of the gateway, by service and version. */
export class GatewayMetrics {
  private readonly all = new Map<string, MetricSeries>();

  constructor(private readonly clock: () => number) {}

  /** The series of (service, version), created on first use. */
  series(service: string, version: string): MetricSeries {
    const key = `${service}\u0000${version}`;
    let s = this.all.get(key);
    if (!s) {
      s = new MetricSeries(service, version);
      this.all.set(key, s);
    }
    return s;
  }

  /** Window aggregates for (service, version) over [fromMs, toMs); zeros for an unknown series. */
  window(service: string, version: string, fromMs: number, toMs: number): WindowStats {
    const s = this.all.get(`${service}\u0000${version}`);
    return s ? s.window(fromMs, toMs) : { requests: 0, errors: 0, upstreamFailures: 0, latencyP50Ms: null, latencyP99Ms: null };
  }

  /** Every series, for a worker's report. */
  list(): MetricSeries[] {
    return [...this.all.values()];
  }

  /** Cumulative counters of every series. */
  totals(): SeriesTotals[] {
    return [...this.all.values()].map((s) => s.totals());
  }

  /** Drops series that `keep` rejects and that recorded nothing within the ring's span. */
  prune(keep: (service: string, version: string) => boolean): void {
    const horizon = this.clock() - RING_SECONDS * 1000;
    for (const [key, s] of this.all) {
      if (!keep(s.service, s.version) && s.lastRecordMs < horizon) this.all.delete(key);
    }
  }
}
