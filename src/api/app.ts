// The HTTP API (SPEC §5), as an express app. It only reads the controller's in-memory state and
// the event log; the gateway is served beside it on the same port but never through express.
import express, { type Request, type Response, type NextFunction } from 'express';
import type { EventLog, EventQuery } from '../events/types.js';
import { CommandError, type Controller } from '../controller/controller.js';
import type { RolloutCommand } from '../rollout/types.js';
import { bearerAuth } from './auth.js';

export interface ApiOptions {
  controller: Controller;
  events: EventLog;
  version: string;
  /** DSR_TOKEN: the bearer token the action routes require; without one they are disabled. */
  token?: string | null;
}

const ACTIONS = ['promote', 'abort', 'pause', 'resume', 'retry'] as const;

/** A 400 with a message saying which parameter is wrong. */
class BadRequest extends Error {
  readonly status = 400;
}

function intParam(req: Request, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new BadRequest(`query parameter ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function stringParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new BadRequest(`query parameter ${name} must be given once`);
  return raw;
}

/** Builds the API app: /healthz, /api/services, /api/services/:name, /events. */
export function createApiApp(options: ApiOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 2);

  app.get('/healthz', (_req, res) => {
    const docker = options.controller.docker();
    res.json({ status: 'ok', version: options.version, docker: docker.available ? 'available' : 'unavailable', dockerError: docker.error });
  });

  app.get('/api/services', (_req, res) => {
    res.json({
      revision: options.controller.revision(),
      docker: options.controller.docker(),
      services: options.controller.statuses(),
      errors: options.controller.manifestErrors(),
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

  app.get('/events', async (req, res) => {
    const query: EventQuery = {};
    const since = intParam(req, 'since');
    const limit = intParam(req, 'limit');
    const service = stringParam(req, 'service');
    const kind = stringParam(req, 'kind');
    if (since !== undefined) query.since = since;
    query.limit = Math.min(limit ?? 100, 10_000);
    if (service) query.service = service;
    if (kind) query.kind = kind;
    const events = await options.events.query(query);
    res.json({ events, lastId: options.events.lastId() });
  });

  const auth = bearerAuth(options.token ?? null);
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
      if (error instanceof CommandError) {
        res.status(error.status).json({ error: error.message });
        return;
      }
      throw error;
    }
    res.json(options.controller.status(req.params.name));
  });

  app.use((req, res) => {
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });
  // Express recognises error handlers by their four parameters.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: error.message });
  });
  return app;
}
