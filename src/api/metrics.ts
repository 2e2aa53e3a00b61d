// GET /metrics (SPEC §5): the Prometheus text format of DSR's own registry.
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** Answers GET /metrics by rendering `registry` (its collectors read the live state now). */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(body);
    } catch (error) {
      next(error);
    }
  };
}
