// Time series for charts: per (service, version), request count, error count and p50/p99 latency
// in fixed 5-second buckets over the last hour, in typed-array rings of a fixed size. Pure: the
// sampler (series-sampler.ts) hands in finished buckets with their start time.
//
// Cost: one ring is 720 buckets × (tag 4 B + requests 4 B + errors 4 B + p50 4 B + p99 4 B)
// = 14,400 B of typed arrays plus ~300 B of objects. A service in a canary has three rings
// (stable, canary, and '' for requests no version could take): about 44 KB; outside a rollout two,
// about 29 KB. bench/series.ts measures it.

/** Width of one bucket. */
export const BUCKET_MS = 5_000;
/** Buckets kept per ring: one hour. */
export const BUCKETS = 720;

/** One finished bucket of one version. */
export interface BucketSample {
  requests: number;
  /** 5xx responses plus upstream failures. */
  errors: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

/** One version's points over a range, column by column (the shape chart libraries draw). */
export interface VersionColumns {
  version: string;
  requests: number[];
  errors: number[];
  latencyP50Ms: Array<number | null>;
  latencyP99Ms: Array<number | null>;
}

/** The start of the bucket holding `ms`: 12_345 → 10_000. */
export function bucketStart(ms: number): number {
  return Math.floor(ms / BUCKET_MS) * BUCKET_MS;
}

/** The bucket starts of [fromMs, toMs), oldest first: (0, 12_000) → [0, 5000, 10000]. */
export function bucketTimes(fromMs: number, toMs: number): number[] {
  const times: number[] = [];
  for (let t = bucketStart(fromMs); t < toMs; t += BUCKET_MS) times.push(t);
  return times;
}

/** The ring of one (service, version). */
export class SeriesRing {
  /** Bucket number (start / BUCKET_MS) each slot holds; -1 = never written. Int32 lasts until 2310. */
  private readonly tags = new Int32Array(BUCKETS).fill(-1);
  private readonly requests = new Uint32Array(BUCKETS);
  private readonly errors = new Uint32Array(BUCKETS);
  // NaN stands for "no latency" (no response in the bucket).
  private readonly p50 = new Float32Array(BUCKETS);
  private readonly p99 = new Float32Array(BUCKETS);
  /** Start of the newest bucket written, for dropping idle rings. */
  lastBucketMs = -Infinity;

  /** Stores the bucket starting at `startMs`, replacing whatever the slot held before. */
  record(startMs: number, sample: BucketSample): void {
    const n = Math.floor(startMs / BUCKET_MS);
    if (n < 0) return;
    const slot = n % BUCKETS;
    // A bucket older than the slot's content (the clock stepped back) would erase newer data.
    if (this.tags[slot]! > n) return;
    this.tags[slot] = n;
    this.requests[slot] = sample.requests;
    this.errors[slot] = sample.errors;
    this.p50[slot] = sample.latencyP50Ms ?? NaN;
    this.p99[slot] = sample.latencyP99Ms ?? NaN;
    this.lastBucketMs = Math.max(this.lastBucketMs, n * BUCKET_MS);
  }

  /** The bucket starting at `startMs`: zeros and null latencies when nothing was recorded for it. */
  read(startMs: number): BucketSample {
    const n = Math.floor(startMs / BUCKET_MS);
    const slot = ((n % BUCKETS) + BUCKETS) % BUCKETS;
    if (n < 0 || this.tags[slot] !== n) return { requests: 0, errors: 0, latencyP50Ms: null, latencyP99Ms: null };
    return { requests: this.requests[slot]!, errors: this.errors[slot]!, latencyP50Ms: orNull(this.p50[slot]!), latencyP99Ms: orNull(this.p99[slot]!) };
  }

  /** The buckets starting at `times`, as columns. */
  columns(version: string, times: readonly number[]): VersionColumns {
    const out: VersionColumns = { version, requests: [], errors: [], latencyP50Ms: [], latencyP99Ms: [] };
    for (const t of times) {
      const b = this.read(t);
      out.requests.push(b.requests);
      out.errors.push(b.errors);
      out.latencyP50Ms.push(b.latencyP50Ms);
      out.latencyP99Ms.push(b.latencyP99Ms);
    }
    return out;
  }
}

function orNull(x: number): number | null {
  // Float32 keeps latencies to ~7 significant digits; rounding to 0.01 ms hides the noise.
  return Number.isNaN(x) ? null : Math.round(x * 100) / 100;
}

/** Every ring, by service then version. */
export class SeriesStore {
  private readonly services = new Map<string, Map<string, SeriesRing>>();

  /** Stores one finished bucket of (service, version), creating its ring on first use. */
  record(service: string, version: string, startMs: number, sample: BucketSample): void {
    let versions = this.services.get(service);
    if (!versions) this.services.set(service, (versions = new Map()));
    let ring = versions.get(version);
    if (!ring) versions.set(version, (ring = new SeriesRing()));
    ring.record(startMs, sample);
  }

  /** The versions of `service` (by name) with their columns over `times`; [] for an unknown service. */
  read(service: string, times: readonly number[]): VersionColumns[] {
    const versions = this.services.get(service);
    if (!versions) return [];
    return [...versions].sort(([a], [b]) => a.localeCompare(b)).map(([version, ring]) => ring.columns(version, times));
  }

  /** Drops rings whose newest bucket fell out of the hour before `nowMs`, so removed versions free their memory. */
  prune(nowMs: number): void {
    const horizon = nowMs - BUCKETS * BUCKET_MS;
    for (const [service, versions] of this.services) {
      for (const [version, ring] of versions) if (ring.lastBucketMs < horizon) versions.delete(version);
      if (versions.size === 0) this.services.delete(service);
    }
  }

  /** How many rings are held (for the benchmark and tests). */
  ringCount(): number {
    let n = 0;
    for (const versions of this.services.values()) n += versions.size;
    return n;
  }
}
