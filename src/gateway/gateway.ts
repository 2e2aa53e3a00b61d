// The gateway: routes /<prefix>/<service>/<path> to a healthy instance of a weighted version,
// node:http on the client side and undici's pools on the upstream side, so nothing
// framework-shaped sits on the hot path. The controller feeds it route tables (setRoutes) and readmissions; it reports
// passive failures back through onEject.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { proxyRequest } from './exchange.js';

import { compileRoutes, versionCountersKey } from './live-routes.js';
import type { LiveInstance, LiveState, LiveTable, LiveVersion } from './live-routes.js';
import { GatewayMetrics } from './metrics.js';
import { rawError, sendError, socketError } from './respond.js';
import type { RouteTable } from './route-table.js';
import { DEFAULT_CLIENT_TIMEOUTS, DEFAULT_UPSTREAM_LIMITS } from './settings.js';
import type { UpstreamLimits } from './settings.js';
import { normalizePrefix, parseTarget } from './target.js';
import { UpstreamPools } from './upstream-pools.js';
import { proxyUpgrade } from './upgrade.js';
import type { UpgradeContext } from './upgrade.js';

/** Options of createGateway; every field has a default (settings.ts lists the timeouts and limits). */
export interface GatewayOptions extends Partial<UpstreamLimits> {
  /** Path prefix the gateway owns (default '/gateway'). */
  prefix?: string;
  /** Longest silence inside a client's request body (default 30 s): 408. */
  clientBodyIdleTimeoutMs?: number;
  /** Called (asynchronously) when a passive failure takes an instance out of rotation. */
  onEject?: (instanceId: string, service: string, version: string, reason: string) => void;
  /** Time source for metrics and latencies (default Date.now). */
  clock?: () => number;
}

/** The gateway as the server and the controller use it. */
export interface Gateway {
  /** Serves `req` when its URL is under the prefix; false means "not mine, pass it on". */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** The same for upgrade (WebSocket) requests. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Atomically replaces the routes; requests already running keep their instance. A provisional
   * table (a gateway worker's last table read from disk, before the controller sent one) answers
   * 503 + Retry-After for services it does not know, never 404: they may exist.
   */
  setRoutes(table: RouteTable, options?: { provisional?: boolean }): void;
  /** Puts an ejected instance back into rotation (the active prober saw it healthy). */
  readmit(instanceId: string): void;
  /** Requests (and open tunnels) currently running against a service version. */
  inFlight(service: string, version: string): number;
  /** Requests (and open tunnels) currently running against one instance. */
  inFlightInstance(instanceId: string): number;
  /** Whether an instance is currently ejected. */
  isEjected(instanceId: string): boolean;
  /** Every non-zero in-flight count, by instance and by (service, version), for a worker's report. */
  inFlightSnapshot(): { instances: Array<[string, number]>; versions: Array<[string, string, number]> };
  readonly metrics: GatewayMetrics;
  /** Refuses new requests, ends open tunnels and closes pooled connections. */
  close(): Promise<void>;
}

/** Creates a gateway with an empty route table. */
export function createGateway(options: GatewayOptions = {}): Gateway {
  const prefix = normalizePrefix(options.prefix ?? '/gateway');
  const clock = options.clock ?? Date.now;
  const onEject = options.onEject;
  const metrics = new GatewayMetrics(clock);
  const state: LiveState = { instances: new Map(), versions: new Map(), series: (s, v) => metrics.series(s, v) };
  const limits: UpstreamLimits = { ...DEFAULT_UPSTREAM_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof UpstreamLimits>) limits[key] = options[key] ?? limits[key];
  // Idle connections close after 4 s by default, under the 5 s idle timeout of node servers and
  // most others, to avoid reusing a connection the instance is just closing.
  const pools = new UpstreamPools({
    connections: limits.connectionsPerInstance,
    connectTimeoutMs: limits.connectTimeoutMs,
    headersTimeoutMs: limits.upstreamTimeoutMs,
    bodyIdleTimeoutMs: limits.upstreamBodyIdleTimeoutMs,
    keepAliveTimeoutMs: limits.upstreamKeepAliveTimeoutMs,
    maxHeadBytes: 64 * 1024,
  });
  const tunnels = new Set<Duplex>();
  let live: LiveTable = { services: new Map() };
  // While the table is provisional (setRoutes) an unknown service may exist: 503, not 404.
  let provisional = false;
  let closed = false;
  const unknownService = (service: string): { status: number; body: { error: string; service: string }; retryAfter: boolean } => provisional
    ? { status: 503, body: { error: 'routes not loaded yet', service }, retryAfter: true }
    : { status: 404, body: { error: 'unknown service', service }, retryAfter: false };

  const ctx: UpgradeContext = {
    prefix,
    pools,
    connectTimeoutMs: limits.connectTimeoutMs,
    maxPerInstance: limits.connectionsPerInstance + limits.queuePerInstance,
    clientBodyIdleMs: options.clientBodyIdleTimeoutMs ?? DEFAULT_CLIENT_TIMEOUTS.bodyIdleTimeoutMs,
    maxAttempts: 10,
    clock,
    table: () => live,
    closing: () => closed,
    newRequestId: randomUUID,
    eject(instance: LiveInstance, version: LiveVersion, reason: string): void {
      if (instance.state.ejected) return;
      instance.state.ejected = true;
      // Deferred: the controller reacts by swapping routes, which must not happen mid-retry.
      if (onEject) queueMicrotask(() => safely(() => onEject(instance.id, version.service, version.name, reason)));
    },
    track(client: Duplex, upstream: Duplex): void {
      tunnels.add(client);
      client.once('close', () => tunnels.delete(client));
      upstream.once('close', () => tunnels.delete(client));
    },
  };

  return {
    metrics,
    handle(req, res) {
      const target = parseTarget(req.url ?? '/', prefix);
      if (target.kind === 'pass') return false;
      try {
        if (closed) sendError(res, 503, { error: 'gateway is shutting down' });
        else if (target.kind === 'reject') sendError(res, target.status, { error: target.error, ...(target.service ? { service: target.service } : {}) });
        else {
          const service = live.services.get(target.service);
          if (service) proxyRequest(ctx, req, res, service, target.path);
          else {
            const answer = unknownService(target.service);
            if (answer.retryAfter) res.setHeader('Retry-After', '1');
            sendError(res, answer.status, answer.body);
          }
        }
      } catch (err) {
        sendError(res, 500, { error: 'gateway error', detail: err instanceof Error ? err.message : String(err) });
      }
      return true;
    },
    handleUpgrade(req, socket, head) {
      const target = parseTarget(req.url ?? '/', prefix);
      if (target.kind === 'pass') return false;
      try {
        if (closed) socketError(socket, 503, { error: 'gateway is shutting down' });
        else if (target.kind === 'reject') socketError(socket, target.status, { error: target.error });
        else {
          const service = live.services.get(target.service);
          if (service) proxyUpgrade(ctx, req, socket, head, service, target.path);
          else {
            const answer = unknownService(target.service);
            socketError(socket, answer.status, answer.body);
          }
        }
      } catch (err) {
        if (socket.writable) socket.end(rawError(500, { error: 'gateway error', detail: err instanceof Error ? err.message : String(err) }));
        else socket.destroy();
      }
      return true;
    },
    setRoutes(table, options) {
      provisional = options?.provisional ?? false;
      live = compileRoutes(table, live, state);
      pools.retain(new Set([...live.services.values()].flatMap((s) => s.versions.flatMap((v) => v.instances.map((i) => i.hostHeader)))));
      metrics.prune((service, version) => version === '' ? table.services.has(service) : state.versions.has(versionCountersKey(service, version)));
    },
    readmit(instanceId) {
      const s = state.instances.get(instanceId);
      if (s) s.ejected = false;
    },
    inFlight(service, version) {
      return state.versions.get(versionCountersKey(service, version))?.inFlight ?? 0;
    },
    inFlightInstance(instanceId) {
      return state.instances.get(instanceId)?.inFlight ?? 0;
    },
    isEjected(instanceId) {
      return state.instances.get(instanceId)?.ejected ?? false;
    },
    inFlightSnapshot() {
      const instances: Array<[string, number]> = [];
      for (const [id, s] of state.instances) if (s.inFlight > 0) instances.push([id, s.inFlight]);
      const versions: Array<[string, string, number]> = [];
      for (const [key, c] of state.versions) {
        if (c.inFlight === 0) continue;
        const [service, version] = key.split('\u0000') as [string, string];
        versions.push([service, version, c.inFlight]);
      }
      return { instances, versions };
    },
    async close() {
      closed = true;
      for (const socket of tunnels) socket.destroy();
      tunnels.clear();
      await pools.close();
    },
  };
}

// A throwing onEject must not take the request path down with it.
function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('dsr gateway: onEject callback failed:', err);
  }
}
