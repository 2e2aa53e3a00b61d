// The controller process (`dsr-controller`): the reconcile loop, the event log, the store, the
// alerter and the API, served on a private unix socket (paths.ts) that the gateway workers
// forward to. It publishes route tables and readmissions to the workers through the supervisor
// and reads their traffic back from their reports (fleet.ts): canary analysis, /metrics, the
// charts and every drain see the sum over all workers.
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { resolve } from 'node:path';
import { join } from 'node:path';
import { JsonlEventLog } from '../events/jsonl-event-log.js';
import type { NewEvent } from '../events/types.js';
import { openStateStore } from '../store/open-state.js';
import { describeSource, openSource } from '../cli/open-source.js';
import { Controller, type RouteSink } from '../controller/controller.js';
import { createApiApp } from '../api/app.js';
import { readApiEnv } from '../api/api-env.js';
import { createDsrMetrics } from '../metrics/registry.js';
import { SeriesStore } from '../metrics/series.js';
import { SeriesSampler } from '../metrics/series-sampler.js';
import { Alerter } from '../notify/alerter.js';
import { createNotifiers } from '../notify/channels.js';
import { readNotifyConfig } from '../notify/config.js';
import { VERSION } from '../cli/config.js';
import { serverToken } from '../cli/token.js';
import { hostPathRootsFromEnv } from '../cli/host-paths-env.js';
import type { RunOptions } from '../cli/run.js';
import type { OpenedRuntime } from '../cli/open-runtime.js';
import { internalGatewayUrl } from '../gateway/internal-address.js';
import { CLIENT_ADDRESS_HEADER } from './api-forward.js';
import { codeVersion } from './code-version.js';
import { Fleet } from './fleet.js';
import { apiSocket, runDir } from './paths.js';
import { encodeTable, instanceIds, isMessage, type ControllerMessage, type ToControllerMessage } from './protocol.js';
import { loadRoutes, routesFile } from './routes-file.js';

/** Opens the engine the controller drives (chosen by the command wiring, src/cli/run.ts); `gatewayUrl` gives instances DSR_GATEWAY_URL. */
export type OpenEngine = (gatewayUrl: () => Promise<string | null>) => OpenedRuntime;

/** Runs the controller until SIGTERM/SIGINT or until the supervisor goes away. */
export async function runControllerProcess(options: RunOptions, openEngine: OpenEngine): Promise<void> {
  process.title = 'dsr-controller';
  const log = (message: string): void => console.log(`${new Date().toISOString()} ${message}`);
  const send = (m: ControllerMessage): void => {
    if (process.connected) process.send!(m, undefined, {}, () => undefined);
  };
  const notify = readNotifyConfig(process.env);
  const hostPathRoots = hostPathRootsFromEnv(process.env);
  const apiEnv = readApiEnv(process.env, options.host);
  const dataDir = resolve(options.data);
  await mkdir(runDir(dataDir), { recursive: true });
  const events = await JsonlEventLog.open(join(dataDir, 'events'));
  const store = await openStateStore(dataDir);
  const record = async (e: NewEvent): Promise<void> => {
    await events.append(e).then(() => undefined, (error: Error) => log(`could not record event ${e.kind}: ${error.message}`));
  };
  const source = await openSource({ ...options, dataDir }, process.env, record, log);
  // The internal listener (DSR_GATEWAY_URL): the runtime says where it must bind; the supervisor
  // binds it (it owns every listening socket) and hands it to the workers. Asked for lazily, at
  // the first instance creation, and again after a failure (an engine down at start only delays it).
  let internalAsks = 0;
  const internalReplies = new Map<number, (reply: { port?: number; error?: string }) => void>();
  let internalUrl: Promise<string | null> | null = null;
  const gatewayUrl = (): Promise<string | null> => {
    internalUrl ??= (async () => {
      // DSR_INTERNAL_PORT=off: no listener, and instances get no DSR_GATEWAY_URL.
      if (options.internalPort === null) return null;
      const internalPort = options.internalPort;
      const address = await runtime.internalGatewayAddress();
      const id = ++internalAsks;
      const reply = await new Promise<{ port?: number; error?: string }>((answer) => {
        internalReplies.set(id, answer);
        send({ type: 'internal', id, bind: address.bind, port: internalPort });
      });
      if (reply.port === undefined) throw new Error(reply.error ?? 'the supervisor did not bind the internal gateway listener');
      return internalGatewayUrl(address.urlHost, reply.port);
    })().catch((error: unknown) => {
      internalUrl = null; // the next instance creation tries again
      throw error;
    });
    return internalUrl;
  };
  const { runtime, volumes, description: engine } = openEngine(gatewayUrl);

  const fleet = new Fleet(Date.now);
  let generation = 0;
  const gateway: RouteSink = {
    setRoutes(table) {
      // Above every generation a previous controller published, as long as the clock does not step back.
      generation = Math.max(generation + 1, Date.now());
      fleet.publish(generation);
      send({ type: 'routes', table: encodeTable(table, generation) });
    },
    readmit: (id) => send({ type: 'readmit', id }),
    inFlightInstance: (id) => fleet.inFlightInstance(id),
  };
  // GET /metrics asks every worker for a report and waits for them (at most 1 s), so a scrape
  // counts every request answered before it.
  let flushSeq = 0;
  const waiters = new Set<() => void>();
  const refreshMetrics = async (): Promise<void> => {
    const seq = ++flushSeq;
    send({ type: 'flush', seq });
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((done) => {
      const check = (): void => {
        if (!fleet.flushedAll(seq)) return;
        waiters.delete(check);
        done();
      };
      waiters.add(check);
      timer = setTimeout(() => {
        waiters.delete(check);
        done();
      }, 1_000);
      check();
    });
    clearTimeout(timer);
  };
  const traffic = {
    window: (service: string, version: string, from: number, to: number) => fleet.window(service, version, from, to),
    inFlight: (service: string, version: string) => fleet.inFlightVersion(service, version),
  };
  const metrics = createDsrMetrics({
    version: VERSION,
    gatewayTotals: () => fleet.totals(),
    services: () => controller.statuses(),
    docker: () => controller.docker(),
    events,
  });
  const saved = await loadRoutes(routesFile(dataDir));
  const controller: Controller = new Controller({
    runtime, source, events, store, gateway, traffic, allowEmpty: options.allowEmpty, hostPathRoots, log, onPass: metrics.recordPass,
    trustedInstances: saved ? instanceIds(saved) : undefined,
  });

  // The workers' list must be known before the first drain could start: wait for it (bounded).
  const workersKnown = new Promise<void>((known) => {
    const timer = setTimeout(known, 5_000);
    process.on('message', (raw: unknown) => {
      if (!isMessage(raw)) return;
      const m = raw as ToControllerMessage;
      if (m.type === 'report') {
        fleet.report(m);
        for (const check of [...waiters]) check();
      }
      else if (m.type === 'eject') controller.passiveFailure(m.id, m.service, m.version, m.reason);
      else if (m.type === 'workers') {
        fleet.setLive(m.ids);
        clearTimeout(timer);
        known();
      } else if (m.type === 'record') void record(m.event);
      else if (m.type === 'internal-bound') {
        internalReplies.get(m.id)?.(m);
        internalReplies.delete(m.id);
      }
    });
  });
  send({ type: 'hello' });

  const gates = await serverToken(process.env.DSR_TOKEN || undefined, dataDir);
  const series = new SeriesStore();
  const stopSampling = new SeriesSampler(series, () => fleet.totals()).start();
  const app = createApiApp({
    controller, events, version: VERSION, token: gates.token, tokenHint: gates.hint, metrics: metrics.registry, series, logs: runtime, volumes,
    hosts: apiEnv.hosts, stream: { maxStreams: apiEnv.maxStreams },
    source: () => source.status?.() ?? null,
    webhook: { secret: process.env.DSR_WEBHOOK_SECRET || null, trigger: source.requestFetch ? () => source.requestFetch!() : null },
    // Only gateway workers reach this socket, and they always set the header.
    clientAddress: (req) => req.get(CLIENT_ADDRESS_HEADER) ?? req.socket.remoteAddress,
    reload: () => send({ type: 'reload' }),
    refreshMetrics,
  });
  const api = http.createServer(app);
  const socket = apiSocket(dataDir);
  await rm(socket, { force: true });
  await new Promise<void>((listening, failed) => {
    api.once('error', failed);
    api.listen(socket, () => listening());
  });
  log(`controller ${VERSION} (pid ${process.pid}): ${describeSource(source)}, ${engine}; API on ${socket}`);
  if (gates.file) log(`actions (promote, abort, pause, resume, retry, reload): token ${gates.created ? 'written to' : 'read from'} ${gates.file}; \`dsr promote <service>\` on this host uses it`);
  const alerter = new Alerter({ events, notifiers: createNotifiers(notify, VERSION), log });
  alerter.start();
  // Not awaited: a hung engine must not hold up the API; instance creation waits for it instead.
  void gatewayUrl().then((url) => log(url ? `instances reach the gateway at DSR_GATEWAY_URL=${url} (that listener serves /gateway/ only)` : 'internal gateway listener off (DSR_INTERNAL_PORT=off): instances get no DSR_GATEWAY_URL'), (err: Error) => log(`internal gateway listener not up yet (tried again at the next instance creation): ${err.message}`));
  await workersKnown;
  await controller.start();
  send({ type: 'ready', version: codeVersion() });

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      log(`controller: ${why}: stopping; service containers keep running`);
      api.close();
      api.closeAllConnections();
      void (async () => {
        await controller.stop();
        stopSampling();
        await alerter.stop();
        await events.close();
        await store.close();
        await rm(socket, { force: true });
        done();
      })();
    };
    // Ctrl-C reaches the whole process group: the supervisor alone decides, and SIGTERMs this process.
    process.on('SIGINT', () => undefined);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('disconnect', () => stop('the supervisor is gone'));
  });
}
