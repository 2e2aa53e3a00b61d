// `dsr run`: the controller, gateway, API and dashboard in one process. Wires the real
// implementations together and handles shutdown; all behaviour lives in the modules it wires.
import { mkdir } from 'node:fs/promises';
import { hostPathRootsFromEnv } from './host-paths-env.js';
import type { Server, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { openRuntime, runtimeKind } from './open-runtime.js';
import { JsonlEventLog } from '../events/jsonl-event-log.js';
import { openStateStore } from '../store/open-state.js';
import { describeSource, openSource } from './open-source.js';
import { Controller } from '../controller/controller.js';
import { createGateway } from '../gateway/gateway.js';
import { createGatewayServer } from '../gateway/server.js';
import { gatewaySettingsFromEnv } from '../gateway/settings.js';
import { internalGateway } from '../gateway/internal-listener.js';
import { createApiApp } from '../api/app.js';
import { readApiEnv } from '../api/api-env.js';
import { createDsrMetrics } from '../metrics/registry.js';
import { SeriesStore } from '../metrics/series.js';
import { SeriesSampler } from '../metrics/series-sampler.js';
import { Alerter } from '../notify/alerter.js';
import { createNotifiers } from '../notify/channels.js';
import { readNotifyConfig } from '../notify/config.js';
import { VERSION } from './config.js';
import { serverToken } from './token.js';

/** How long SIGTERM waits for in-flight gateway requests; under `docker stop -t 30` / compose's stop_grace_period. */
const DRAIN_MS = 20_000;

export interface RunOptions {
  manifests: string;
  data: string;
  port: number;
  host: string;
  source: 'git' | 'worktree' | 'auto';
  allowEmpty: boolean;
  /** docker or swarm (DSR_RUNTIME / --runtime); unset: docker. */
  runtime?: string;
  /** A remote repository to follow instead of the local folder (SPEC §10). */
  repo: string | null;
  branch: string;
  path: string;
  poll: string;
  /** Port of the internal gateway listener (DSR_GATEWAY_URL); 0: any free port; null: no listener, no DSR_GATEWAY_URL. */
  internalPort: number | null;
}

/** Starts DSR and resolves only when it has shut down after SIGINT/SIGTERM. */
export async function runCommand(options: RunOptions): Promise<void> {
  const log = (message: string): void => console.log(`${new Date().toISOString()} ${message}`);
  // First: a half-configured alert channel stops DSR with a message naming the variable.
  const notify = readNotifyConfig(process.env);
  const gatewaySettings = gatewaySettingsFromEnv(process.env);
  const apiEnv = readApiEnv(process.env, options.host);
  const hostPathRoots = hostPathRootsFromEnv(process.env);
  const dataDir = resolve(options.data);
  await mkdir(dataDir, { recursive: true });
  const events = await JsonlEventLog.open(join(dataDir, 'events'));
  const store = await openStateStore(dataDir);
  const record = async (e: Parameters<typeof events.append>[0]): Promise<void> => {
    await events.append(e).then(() => undefined, (error: Error) => log(`could not record event ${e.kind}: ${error.message}`));
  };
  const source = await openSource({ ...options, dataDir }, process.env, record, log);
  // DSR_RUNTIME (--runtime) picks the engine; DSR_NETWORK: the shared network (default "dsr").
  const { runtime, volumes, description: runtimeDescription } = openRuntime(runtimeKind(options.runtime), { gatewayUrl: () => internal.url() });
  const gateway = createGateway({
    ...gatewaySettings.upstream,
    clientBodyIdleTimeoutMs: gatewaySettings.client.bodyIdleTimeoutMs,
    onEject: (id, service, version, reason) => controller.passiveFailure(id, service, version, reason),
  });
  const internal = internalGateway({ gateway, locate: () => runtime.internalGatewayAddress(), port: options.internalPort, timeouts: gatewaySettings.client });
  const traffic = {
    window: (service: string, version: string, from: number, to: number) => gateway.metrics.window(service, version, from, to),
    inFlight: (service: string, version: string) => gateway.inFlight(service, version),
  };
  // The collectors read the controller only at scrape time, after it exists.
  const metrics = createDsrMetrics({
    version: VERSION,
    gatewayTotals: () => gateway.metrics.totals(),
    services: () => controller.statuses(),
    docker: () => controller.docker(),
    events,
  });
  const controller: Controller = new Controller({ runtime, source, events, store, gateway, traffic, allowEmpty: options.allowEmpty, hostPathRoots, log, onPass: metrics.recordPass });
  // Without DSR_TOKEN the gates still work: with a token kept in <data>/token for the local CLI.
  const gates = await serverToken(process.env.DSR_TOKEN || undefined, dataDir);
  // Chart series: the gateway's totals read every 5 s (src/metrics/series-sampler.ts).
  const series = new SeriesStore();
  const stopSampling = new SeriesSampler(series, () => gateway.metrics.totals()).start();
  const app = createApiApp({
    controller, events, version: VERSION, token: gates.token, tokenHint: gates.hint, metrics: metrics.registry, series, logs: runtime, volumes,
    hosts: apiEnv.hosts, stream: { maxStreams: apiEnv.maxStreams },
    source: () => source.status?.() ?? null,
    webhook: { secret: process.env.DSR_WEBHOOK_SECRET || null, trigger: source.requestFetch ? () => source.requestFetch!() : null },
  });
  const server = createGatewayServer(gateway, app, undefined, gatewaySettings.client);
  const inFlight = trackGatewayRequests(server);

  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, options.host, () => listening());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log(`dsr ${VERSION} listening on http://${options.host}:${port} (${describeSource(source)}, ${runtimeDescription})`);
  log(`gateway: http://${options.host}:${port}/gateway/<service>/ · API: /api/services · events: /events`);
  if (gates.file) log(`actions (promote, abort, pause, resume, retry): token ${gates.created ? 'written to' : 'read from'} ${gates.file}; \`dsr promote <service>\` on this host uses it`);
  // Not awaited: a hung engine must not hold up the API; instance creation waits for it instead.
  void internal.url().then((url) => log(url ? `instances reach the gateway at DSR_GATEWAY_URL=${url} (that listener serves /gateway/ only)` : 'internal gateway listener off (DSR_INTERNAL_PORT=off): instances get no DSR_GATEWAY_URL'), (err: Error) => log(`internal gateway listener not up yet (tried again at the next instance creation): ${err.message}`));
  const alerter = new Alerter({ events, notifiers: createNotifiers(notify, VERSION), log });
  alerter.start();
  await controller.start();

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: shutting down; service containers keep running and are adopted on the next start`);
      server.close();
      void (async () => {
        // Requests already inside the gateway finish (bounded) before anything they use closes.
        const [cut] = await Promise.all([inFlight.drain(DRAIN_MS), controller.stop(), internal.close(DRAIN_MS)]);
        if (cut > 0) log(`${cut} gateway request(s) still in flight after ${DRAIN_MS / 1000} s were cut off`);
        stopSampling();
        await alerter.stop();
        await gateway.close();
        await events.close();
        await store.close();
        server.closeAllConnections?.();
        done();
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * Counts the gateway's open responses so shutdown can wait for them. Once draining, a response
 * not yet started carries `Connection: close`, so no client keeps a connection to a stopping DSR.
 * drain() resolves with how many were still open at the deadline (0: all finished).
 */
function trackGatewayRequests(server: Server): { drain(timeoutMs: number): Promise<number> } {
  const open = new Set<ServerResponse>();
  let draining = false;
  let onEmpty: (() => void) | null = null;
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  // Prepended: it must see the response before the gateway can write its head.
  server.prependListener('request', (req, res: ServerResponse) => {
    if (!(req.url ?? '').startsWith('/gateway')) return;
    open.add(res);
    if (draining) closeAfter(res);
    res.once('close', () => {
      open.delete(res);
      if (open.size === 0) onEmpty?.();
    });
  });
  return {
    async drain(timeoutMs) {
      draining = true;
      open.forEach(closeAfter);
      // Idle keep-alive connections would otherwise hold the server open until their timeout.
      server.closeIdleConnections();
      if (open.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          onEmpty = resolve;
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
      }
      return open.size;
    },
  };
}
