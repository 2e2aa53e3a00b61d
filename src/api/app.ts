// The HTTP API (SPEC §5), as an express app. It only reads the controller's in-memory state and
// the event log; the gateway is served beside it on the same port but never through express.
import express, { type Request, type Response, type NextFunction } from 'express';
import type { Registry } from 'prom-client';
import type { EventLog } from '../events/types.js';
import type { Controller } from '../controller/controller.js';
import { answerRefusal } from './command-status.js';
import type { RolloutCommand } from '../rollout/types.js';
import { bearerAuth } from './auth.js';
import { eventsPage } from './events-page.js';
import { eventsStream, type EventStreamOptions } from './events-stream.js';
import { metricsHandler } from './metrics.js';
import { dashboardRouter } from './dashboard.js';
import { webhookRouter, type WebhookOptions } from './webhook.js';
import { rollbackRouter } from './rollback.js';
import type { SourceStatus } from '../source/source.js';
import { hostCheck, hostPolicy, type HostPolicy } from './host-check.js';
import { seriesHandler } from './series.js';
import { logsHandler } from './logs.js';
import type { LogReader, VolumeStore } from '../runtime/runtime.js';
import { volumesRouter } from './volumes.js';
import type { SeriesStore } from '../metrics/series.js';

export interface ApiOptions {
  controller: Controller;
  events: EventLog;
  version: string;
  /** The bearer token the action routes require (DSR_TOKEN or <data>/token); without one they are disabled. */
  token?: string | null;
  /** Where an operator finds the token, for the dashboard ("see /srv/dsr/data/token on the host"); never the token. */
  tokenHint?: string | null;
  /** DSR's Prometheus registry, served at GET /metrics (absent: no /metrics route). */
  metrics?: Registry;
  /** Tuning of GET /events/stream (heartbeat interval, slow-client limit). */
  stream?: EventStreamOptions;
  /** POST /api/webhooks/git: the secret and the fetch trigger of a remote source. */
  webhook?: WebhookOptions;
  /** Where the source of manifests stands (a remote's reachability), shown in /api/services. */
  source?: () => SourceStatus | null;
  /** Host headers answered beyond /healthz (DNS-rebinding protection); default: loopback names only. */
  hosts?: HostPolicy;
  /** The chart series (GET /api/services/:name/series); absent: no such route. */
  series?: SeriesStore;
  /** Reads instance logs (GET /api/services/:name/logs, behind the token); absent: no such route. */
  logs?: LogReader;
  /** Called before /metrics renders: the gateway workers' counts are brought up to date (bounded). */
  refreshMetrics?: () => Promise<void>;
  /** The client's address for the token failure table (default: the socket's peer). */
  clientAddress?: (req: Request) => string | undefined;
  /** POST /api/reload (behind the token): asks the supervisor to restart DSR's processes from the code on disk; absent: 404. */
  reload?: () => void;
  /** Named volumes (GET /api/volumes, DELETE /api/services/:name/volumes/:volume behind the token); absent: no such routes. */
  volumes?: VolumeStore | null;
}

const ACTIONS = ['promote', 'abort', 'pause', 'resume', 'retry'] as const;

/** Builds the API app: /healthz, then behind the Host check /api/services, /api/services/:name, /events, /events/stream, /metrics, /dashboard. */
export function createApiApp(options: ApiOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 2);
  // First: forge calls are authenticated by their signature, not by the API's own checks.
  app.use(webhookRouter(options.webhook ?? { secret: null, trigger: null }));

  app.get('/healthz', (_req, res) => {
    const docker = options.controller.docker();
    res.json({ status: 'ok', version: options.version, docker: docker.available ? 'available' : 'unavailable', dockerError: docker.error });
  });

  // Everything after /healthz answers only known Hosts. /healthz stays open to any Host: health
  // checkers (Docker's HEALTHCHECK, a load balancer) may address DSR by any name or IP, and it
  // tells a rebinding page nothing it could not learn by probing the port.
  app.use(hostCheck(options.hosts ?? hostPolicy('127.0.0.1', undefined)));

  app.get('/api/services', (_req, res) => {
    res.json({
      revision: options.controller.revision(),
      source: options.source?.() ?? null,
      docker: options.controller.docker(),
      services: options.controller.statuses(),
      errors: options.controller.manifestErrors(),
      actions: { enabled: Boolean(options.token), token: options.token ? (options.tokenHint ?? null) : null },
    });
  });

  app.get('/api/services/:name', (req, res) => {
    const status = options.controller.status(req.params.name);
    if (!status) {
      res.status(404).json({ error: `no service named ${JSON.stringify(req.params.name)}; GET /api/services lists them` });
      return;
    }
    res.json(status);
  });

  if (options.series) {
    const controller = options.controller;
    app.get('/api/services/:name/series', seriesHandler(options.events, {
      store: options.series,
      analysis: (name) => controller.spec(name)?.rollout.analysis ?? null,
      known: (name) => controller.status(name) !== undefined,
    }));
  }

  app.get('/events', eventsPage(options.events));
  app.get('/events/stream', eventsStream(options.events, options.stream));
  if (options.metrics) app.get('/metrics', metricsHandler(options.metrics, options.refreshMetrics));

  const auth = bearerAuth(options.token ?? null, { clientAddress: options.clientAddress });

  if (options.reload) {
    const reload = options.reload;
    app.post('/api/reload', auth, (_req, res) => {
      res.status(202).json({ reloading: true, version: options.version, note: 'the controller, then each gateway worker, restarts from the code on disk; the event dsr.reloaded records the versions' });
      // After the answer is out: the reload stops this very process.
      res.once('finish', reload);
    });
  }
  app.use(rollbackRouter(options.controller, auth));
  if (options.volumes) app.use(volumesRouter(options.volumes, auth));
  if (options.logs) {
    const controller = options.controller;
    app.get('/api/services/:name/logs', auth, logsHandler({ reader: options.logs, instances: (name) => controller.status(name)?.instances }));
  }
  app.post('/api/services/:name/:action', auth, async (req: Request<{ name: string; action: string }>, res) => {
    const action = req.params.action as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) {
      res.status(404).json({ error: `unknown action ${JSON.stringify(req.params.action)}; use one of ${ACTIONS.join(', ')}` });
      return;
    }
    const full = req.query.full === 'true' || req.query.full === '1';
    const command: RolloutCommand = action === 'promote' ? { type: 'promote', full } : { type: action };
    try {
      await options.controller.command(req.params.name, command);
    } catch (error) {
      answerRefusal(res, error);
      return;
    }
    res.json(options.controller.status(req.params.name));
  });

  app.use(dashboardRouter());

  app.use((req, res) => {
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });
  // Express recognises error handlers by their four parameters.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: error.message });
  });
  return app;
}
