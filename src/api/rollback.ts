// History and rollback routes (SPEC §10): GET /api/services/:name/history, and behind the bearer
// token POST /api/services/:name/rollback[?to=REV] and POST /api/services/:name/unpin. Mounted
// before the generic action route, which would answer 404 for these two actions.
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Controller } from '../controller/controller.js';
import { answerRefusal } from './command-status.js';

/** The router; `auth` guards the two actions. */
export function rollbackRouter(controller: Controller, auth: RequestHandler): Router {
  const router = express.Router();
  router.get('/api/services/:name/history', (req: Request<{ name: string }>, res) => {
    const found = controller.history(req.params.name);
    if (!found) {
      res.status(404).json({ error: `no service named ${JSON.stringify(req.params.name)}; GET /api/services lists them` });
      return;
    }
    // The manifests stay out: the list is for people; the spec of a revision is in git.
    res.json({
      service: req.params.name,
      pinned: found.pin ? { revision: found.pin.revision, at: found.pin.at } : null,
      history: found.history.map(({ spec: _spec, ...entry }) => entry),
    });
  });

  router.post('/api/services/:name/rollback', auth, async (req: Request<{ name: string }>, res) => {
    const to = typeof req.query.to === 'string' && req.query.to !== '' ? req.query.to : null;
    try {
      await controller.rollback(req.params.name, to);
    } catch (error) {
      answerRefusal(res, error);
      return;
    }
    res.json(controller.status(req.params.name));
  });

  router.post('/api/services/:name/unpin', auth, async (req: Request<{ name: string }>, res) => {
    try {
      await controller.unpin(req.params.name);
    } catch (error) {
      answerRefusal(res, error);
      return;
    }
    res.json(controller.status(req.params.name));
  });
  return router;
}
