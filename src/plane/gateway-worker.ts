// A gateway worker (`dsr-gateway`): serves /gateway/ on the socket the supervisor shares with it
// and forwards the rest to the controller's API (api-forward.ts). It routes with the last table
// the controller published, kept on disk too (routes-file.ts): before it accepts a connection it
// loads that file, so a worker starting while the controller is absent answers the services that
// were running instead of 404. It reports its traffic and in-flight counts to the controller
// (through the supervisor) every second, at once after each new table, and every 200 ms while
// requests run on instances, so a removal's drain sees them end quickly.
import type { Server } from 'node:http';
import { createGateway } from '../gateway/gateway.js';
import { createGatewayServer } from '../gateway/server.js';
import { createInternalServer } from '../gateway/internal-listener.js';
import { gatewaySettingsFromEnv } from '../gateway/settings.js';
import { emptyRouteTable } from '../gateway/route-table.js';
import { codeVersion } from './code-version.js';
import { forwardToApi } from './api-forward.js';
import { trackRequests, type DrainMode } from './drain-tracker.js';
import { apiSocket } from './paths.js';
import { decodeTable, isMessage, type ToWorkerMessage, type WorkerMessage, type WorkerReport } from './protocol.js';
import { loadRoutes, routesFile, saveRoutes } from './routes-file.js';

/** How long a worker stopped by a signal (or orphaned) waits for its requests. */
const STOP_DRAIN_MS = 20_000;

/** Runs a worker until it is drained; `id` and `dataDir` come from the supervisor. */
export async function runGatewayWorker(id: string, dataDir: string): Promise<void> {
  process.title = 'dsr-gateway';
  const send = (m: WorkerMessage): void => {
    if (process.connected) process.send!(m, undefined, {}, () => undefined);
  };
  const settings = gatewaySettingsFromEnv(process.env);
  const gateway = createGateway({
    ...settings.upstream,
    clientBodyIdleTimeoutMs: settings.client.bodyIdleTimeoutMs,
    onEject: (instance, service, version, reason) => send({ type: 'eject', id: instance, service, version, reason }),
  });
  const server: Server = createGatewayServer(gateway, forwardToApi(apiSocket(dataDir)), undefined, settings.client);
  const tracker = trackRequests(server);
  // The internal listener (DSR_GATEWAY_URL), once the controller asked the supervisor to bind it.
  let internal: { server: Server; tracker: ReturnType<typeof trackRequests> } | null = null;
  const file = routesFile(dataDir);
  let generation = 0;
  let hasTable = false;
  let lastSecond = -1;
  let flushed = 0;
  let saving: Promise<void> = Promise.resolve();
  let reportTimer: NodeJS.Timeout | null = null;

  const report = (): void => {
    const nowSecond = Math.floor(Date.now() / 1000);
    const inFlight = gateway.inFlightSnapshot();
    const message: WorkerReport = {
      type: 'report', worker: id, generation, instances: inFlight.instances, versions: inFlight.versions,
      seconds: gateway.metrics.list().map((s) => ({ service: s.service, version: s.version, samples: s.seconds(lastSecond, nowSecond) })).filter((s) => s.samples.length > 0),
      totals: gateway.metrics.totals(),
      flushed,
    };
    lastSecond = nowSecond - 1;
    send(message);
    if (reportTimer) clearTimeout(reportTimer);
    reportTimer = setTimeout(report, inFlight.instances.length > 0 ? 200 : 1000);
  };

  let stopping = false;
  const stop = async (timeoutMs: number, mode: DrainMode): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const [cut] = await Promise.all([tracker.drain(timeoutMs, mode), internal?.tracker.drain(timeoutMs, mode)]);
    if (cut > 0) console.log(`${new Date().toISOString()} gateway ${id}: ${cut} request(s) still in flight after ${timeoutMs / 1000} s were cut off`);
    if (reportTimer) clearTimeout(reportTimer);
    report();
    if (reportTimer) clearTimeout(reportTimer);
    await gateway.close();
    server.closeAllConnections();
    internal?.server.closeAllConnections();
    await saving;
    process.exit(0);
  };

  process.on('message', (raw: unknown, handle: unknown) => {
    if (!isMessage(raw)) return;
    const m = raw as ToWorkerMessage;
    if (m.type === 'routes') {
      if (m.table.generation < generation) return;
      gateway.setRoutes(decodeTable(m.table));
      generation = m.table.generation;
      hasTable = true;
      // Serialized: an older table must never overwrite a newer one on disk.
      saving = saving.then(() => saveRoutes(file, m.table)).catch((error: Error) => console.error(`dsr gateway ${id}: could not save ${file}: ${error.message}`));
      report();
    } else if (m.type === 'readmit') gateway.readmit(m.id);
    else if (m.type === 'resync') lastSecond = -1;
    else if (m.type === 'flush') {
      // A scrape is waiting: the totals as of now (windows keep to completed seconds).
      flushed = m.seq;
      report();
    }
    else if (m.type === 'listen') void listen(handle);
    else if (m.type === 'listen-internal' && !stopping) {
      // A new socket (the engine's address changed): the old one stops accepting, its requests finish.
      if (internal) void internal.tracker.drain(STOP_DRAIN_MS, 'let-idle-expire');
      const s = createInternalServer(gateway, settings.client);
      internal = { server: s, tracker: trackRequests(s) };
      s.listen(handle as Parameters<Server['listen']>[0]);
    }
    else if (m.type === 'drain') void stop(m.timeoutMs, 'let-idle-expire');
  });

  const listen = async (handle: unknown): Promise<void> => {
    if (!hasTable) {
      const saved = await loadRoutes(file);
      // A table from the controller may have arrived meanwhile: it wins.
      if (!hasTable) gateway.setRoutes(saved ? decodeTable(saved) : emptyRouteTable(), { provisional: true });
    }
    server.listen(handle as Parameters<Server['listen']>[0], () => {
      send({ type: 'ready', worker: id, version: codeVersion() });
      report();
    });
  };

  // The supervisor is gone (killed): nothing will replace this worker's routes; finish and leave.
  process.on('disconnect', () => void stop(2_000, 'close-idle'));
  process.on('SIGTERM', () => void stop(STOP_DRAIN_MS, 'close-idle'));
  // Ctrl-C reaches the whole process group: the supervisor alone decides, and SIGTERMs this worker.
  process.on('SIGINT', () => undefined);
  // Listeners are in place: the supervisor may now send the table and the socket.
  send({ type: 'hello', worker: id });
}
