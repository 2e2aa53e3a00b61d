// GET /metrics (SPEC §5): the Prometheus text format of DSR's own registry.
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/**
 * Answers GET /metrics by rendering `registry` (its collectors read the live state now), after
 * `refresh` (DSR's gateway workers report their latest counts; bounded by the caller).
 */
export function metricsHandler(registry: Registry, refresh?: () => Promise<void>): RequestHandler {
  return async (_req, res, next) => {
    try {
      await refresh?.();
      const body = await registry.metrics();
      res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(body);
    } catch (error) {
      next(error);
    }
  };
}
