// The route table compiled for the request path: per-version balancer state, per-instance
// ejection and in-flight counters, and the metric series, all resolved once per setRoutes so a
// request does no map lookups beyond finding its service. State that must outlive a table swap
// (WRR scores, round-robin cursors, ejections, in-flight counts) is carried over by name and id.
import type { RouteTable } from './route-table.js';
import { SmoothWeightedRoundRobin } from './smooth-wrr.js';
import type { MetricSeries } from './metrics.js';

/** Mutable state of one instance that survives table swaps while the instance stays in the table. */
export interface InstanceState {
  readonly id: string;
  /** Set by a passive failure; cleared by readmit() or by the instance leaving the table. */
  ejected: boolean;
  /** Requests and open tunnels: removal waits for all of them. */
  inFlight: number;
  /** Open WebSocket tunnels among inFlight: their sockets left the pool, so the connection limit skips them. */
  tunnels: number;
}

/** In-flight count of one service version, kept while requests to it are running. */
export interface VersionCounters {
  inFlight: number;
}

/** An instance as the request path sees it. */
export interface LiveInstance {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Host header value sent upstream, e.g. "127.0.0.1:32768". */
  readonly hostHeader: string;
  readonly state: InstanceState;
}

/** A version as the request path sees it. */
export interface LiveVersion {
  readonly service: string;
  readonly name: string;
  readonly weight: number;
  readonly instances: readonly LiveInstance[];
  /** Round-robin position over `instances`. */
  cursor: number;
  readonly counters: VersionCounters;
  readonly series: MetricSeries;
}

/** A service as the request path sees it. */
export interface LiveService {
  readonly name: string;
  readonly sticky: boolean;
  /** Whether connections to its instances are kept alive between requests (RouteService.upstreamKeepAlive). */
  readonly keepAlive: boolean;
  readonly versions: readonly LiveVersion[];
  readonly byName: ReadonlyMap<string, LiveVersion>;
  readonly wrr: SmoothWeightedRoundRobin;
  /** Metric series for requests that reached no version (503 no healthy instance). */
  readonly unrouted: MetricSeries;
}

/** The compiled table: swapped whole, read by requests. */
export interface LiveTable {
  readonly services: ReadonlyMap<string, LiveService>;
}

/** Long-lived state the compiler reads and prunes. */
export interface LiveState {
  readonly instances: Map<string, InstanceState>;
  readonly versions: Map<string, VersionCounters>;
  /** Series for a (service, version); version '' collects unrouted requests. */
  readonly series: (service: string, version: string) => MetricSeries;
}

/** Key of a (service, version) pair in the gateway's per-version counters; NUL cannot occur in either name. */
export function versionCountersKey(service: string, version: string): string {
  return `${service}\u0000${version}`;
}

/** Compiles `table`, carrying state over from `previous`; prunes state of instances that left. */
export function compileRoutes(table: RouteTable, previous: LiveTable, state: LiveState): LiveTable {
  const services = new Map<string, LiveService>();
  const seenInstances = new Set<string>();
  const seenVersions = new Set<string>();
  for (const [name, route] of table.services) {
    const before = previous.services.get(name);
    const versions = route.versions.map((v): LiveVersion => {
      const key = versionCountersKey(name, v.name);
      seenVersions.add(key);
      const instances = v.instances.map((i): LiveInstance => {
        seenInstances.add(i.id);
        return { id: i.id, host: i.address.host, port: i.address.port, hostHeader: hostHeader(i.address.host, i.address.port), state: instanceState(state, i.id) };
      });
      const counters = state.versions.get(key) ?? { inFlight: 0 };
      state.versions.set(key, counters);
      const cursor = before?.byName.get(v.name)?.cursor ?? 0;
      return { service: name, name: v.name, weight: v.weight, instances, cursor, counters, series: state.series(name, v.name) };
    });
    const weights = versions.map((v) => v.weight);
    const sameWeights = before !== undefined && sameVersionWeights(before.versions, versions);
    const wrr = new SmoothWeightedRoundRobin(weights, sameWeights ? before.wrr.snapshot() : undefined);
    const byName = new Map(versions.map((v) => [v.name, v]));
    services.set(name, { name, sticky: route.sticky, keepAlive: route.upstreamKeepAlive ?? true, versions, byName, wrr, unrouted: state.series(name, '') });
  }
  prune(state, seenInstances, seenVersions);
  return { services };
}

function instanceState(state: LiveState, id: string): InstanceState {
  let s = state.instances.get(id);
  if (!s) {
    s = { id, ejected: false, inFlight: 0, tunnels: 0 };
    state.instances.set(id, s);
  }
  return s;
}

// An instance that left the table forgets its ejection (it may come back as a new healthy
// instance); its entry is kept only while requests to it are still running, for draining.
function prune(state: LiveState, instances: Set<string>, versions: Set<string>): void {
  for (const [id, s] of state.instances) {
    if (instances.has(id)) continue;
    s.ejected = false;
    if (s.inFlight === 0) state.instances.delete(id);
  }
  for (const [key, c] of state.versions) {
    if (!versions.has(key) && c.inFlight === 0) state.versions.delete(key);
  }
}

function sameVersionWeights(a: readonly LiveVersion[], b: readonly LiveVersion[]): boolean {
  return a.length === b.length && a.every((v, i) => v.name === b[i]!.name && v.weight === b[i]!.weight);
}

function hostHeader(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
