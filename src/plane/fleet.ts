// The controller's view of every gateway worker's traffic, built from their reports
// (protocol.ts WorkerReport): canary analysis and the charts read windows summed over workers,
// /metrics reads totals summed over workers, and a removal drains on in-flight counts summed
// over workers. Pure: reports and the clock come in, nothing is sent.
//
// The drain rule: a worker counts as having 1 request in flight on every instance until it has
// reported routing with the newest table the controller published. So after the controller
// published a table without instance X, inFlightInstance(X) is 0 only once every live worker
// has acknowledged that table AND reported no request on X in that same report: no worker can
// still start a request on X, and none is running one.
import { GatewayMetrics, type SeriesTotals, type WindowStats } from '../gateway/metrics.js';
import type { WorkerReport } from './protocol.js';

interface WorkerView {
  generation: number;
  instances: Map<string, number>;
  versions: Map<string, number>;
  totals: SeriesTotals[];
  flushed: number;
}

/** Sums the reports of the live gateway workers. */
export class Fleet {
  private readonly merged: GatewayMetrics;
  private readonly workers = new Map<string, WorkerView>();
  /** Totals of workers that are gone, so counters never go down when a worker is replaced. */
  private readonly retired = new Map<string, SeriesTotals>();
  private published = 0;

  constructor(clock: () => number) {
    this.merged = new GatewayMetrics(clock);
  }

  /** The controller published a table with this generation. */
  publish(generation: number): void {
    this.published = generation;
  }

  /** The supervisor's list of live workers: new ones start unacknowledged, gone ones are retired. */
  setLive(ids: readonly string[]): void {
    const live = new Set(ids);
    for (const [id, view] of this.workers) {
      if (live.has(id)) continue;
      for (const t of view.totals) addTotals(this.retired, t);
      this.workers.delete(id);
    }
    for (const id of live) if (!this.workers.has(id)) this.workers.set(id, { generation: 0, instances: new Map(), versions: new Map(), totals: [], flushed: 0 });
  }

  /** Takes a worker's report; reports of workers not (or no longer) live are ignored. */
  report(r: WorkerReport): void {
    const view = this.workers.get(r.worker);
    if (!view) return;
    view.generation = r.generation;
    view.instances = new Map(r.instances);
    view.versions = new Map(r.versions.map(([s, v, n]) => [`${s}\u0000${v}`, n]));
    view.totals = r.totals;
    view.flushed = Math.max(view.flushed, r.flushed);
    for (const s of r.seconds) for (const sample of s.samples) this.merged.series(s.service, s.version).addSecond(sample);
  }

  /** Requests on an instance over every live worker; 1 per worker that has not acknowledged the newest table. */
  inFlightInstance(id: string): number {
    let n = 0;
    for (const w of this.workers.values()) n += w.generation < this.published ? 1 : (w.instances.get(id) ?? 0);
    return n;
  }

  /** Requests on a (service, version) over every live worker. */
  inFlightVersion(service: string, version: string): number {
    let n = 0;
    for (const w of this.workers.values()) n += w.versions.get(`${service}\u0000${version}`) ?? 0;
    return n;
  }

  /** Window aggregates of every worker's traffic. */
  window(service: string, version: string, fromMs: number, toMs: number): WindowStats {
    return this.merged.window(service, version, fromMs, toMs);
  }

  /** Cumulative totals summed over live and retired workers. */
  totals(): SeriesTotals[] {
    const sum = new Map<string, SeriesTotals>();
    for (const t of this.retired.values()) addTotals(sum, t);
    for (const w of this.workers.values()) for (const t of w.totals) addTotals(sum, t);
    return [...sum.values()];
  }

  /** Whether every live worker has answered the flush request `seq` (a report made after it). */
  flushedAll(seq: number): boolean {
    for (const w of this.workers.values()) if (w.flushed < seq) return false;
    return true;
  }

  /** Live worker ids (for tests and logs). */
  live(): string[] {
    return [...this.workers.keys()];
  }
}

// Adds `t` into the entry of its series in `into` (copying, never aliasing a report's arrays).
function addTotals(into: Map<string, SeriesTotals>, t: SeriesTotals): void {
  const key = `${t.service}\u0000${t.version}`;
  const have = into.get(key);
  if (!have) {
    into.set(key, { ...t, latencyBuckets: t.latencyBuckets.map((b) => ({ ...b })) });
    return;
  }
  have.requests += t.requests;
  have.errors5xx += t.errors5xx;
  have.upstreamFailures += t.upstreamFailures;
  have.latencySumMs += t.latencySumMs;
  have.latencyCount += t.latencyCount;
  have.latencyBuckets.forEach((b, i) => (b.count += t.latencyBuckets[i]?.count ?? 0));
}
