// GET /api/volumes (every named volume of this DSR, with the containers using each) and
// DELETE /api/services/:name/volumes/:volume (behind the token): the only way a named volume is
// removed, since a prune of a service keeps its volumes (SPEC §8).
import { Router, type Request, type RequestHandler } from 'express';
import { VolumeInUseError } from '../runtime/errors.js';
import type { VolumeStore } from '../runtime/runtime.js';

/** The volume routes over a runtime's VolumeStore; `auth` guards the removal. */
export function volumesRouter(store: VolumeStore, auth: RequestHandler): Router {
  const router = Router();
  router.get('/api/volumes', async (_req, res, next) => {
    try {
      res.json({ volumes: await store.volumes() });
    } catch (error) {
      next(error);
    }
  });
  router.delete('/api/services/:name/volumes/:volume', auth, async (req: Request<{ name: string; volume: string }>, res, next) => {
    const { name, volume } = req.params;
    try {
      const known = (await store.volumes()).find((v) => v.service === name && v.name === volume);
      if (!known) {
        res.status(404).json({ error: `service ${name} has no volume ${volume}: \`dsr volumes\` lists them` });
        return;
      }
      await store.removeVolume(name, volume);
      res.json({ removed: known.dockerName });
    } catch (error) {
      if (error instanceof VolumeInUseError) {
        res.status(409).json({ error: error.message, usedBy: error.usedBy });
        return;
      }
      next(error);
    }
  });
  return router;
}
