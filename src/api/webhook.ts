// POST /api/webhooks/git (SPEC §10): a forge says "pushed"; DSR fetches now instead of at the
// next poll. Accepted only with a valid signature for DSR_WEBHOOK_SECRET (others 401). The body
// is read raw (the signature covers its exact bytes) and capped; accepted calls are limited per
// minute; the fetch itself is coalesced by the source, so a burst of calls gives one fetch.
//
// Mounted before any Host-header check: a webhook comes from a remote forge, whose Host header
// names DSR's public address, so the check meant for the browser-facing API must not apply. The
// signature is what authenticates it.
import express, { type Request, type Response, type Router } from 'express';
import { verifyWebhook } from '../source/webhook-signature.js';

/** Largest body accepted: push payloads of big pushes run to a few hundred KiB. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Accepted calls per minute; more get 429 (the fetch they ask for is already coming). */
export const WEBHOOK_RATE_PER_MINUTE = 60;

export interface WebhookOptions {
  /** DSR_WEBHOOK_SECRET; null: the route answers 404 with how to turn it on. */
  secret: string | null;
  /** Asks the remote source for a fetch; null when DSR follows no remote repository. */
  trigger: (() => void) | null;
  now?: () => number;
}

/** The router serving POST /api/webhooks/git. */
export function webhookRouter(options: WebhookOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  let window = { start: now(), count: 0 };
  router.post('/api/webhooks/git', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), (req: Request, res: Response) => {
    if (!options.trigger) {
      res.status(404).json({ error: 'DSR follows no remote repository: start it with --repo (DSR_REPO) to use webhooks' });
      return;
    }
    if (!options.secret) {
      res.status(404).json({ error: 'webhooks are off: set DSR_WEBHOOK_SECRET and configure the same secret in the forge' });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyWebhook(options.secret, req.headers, body);
    if (!verdict.ok) {
      res.status(401).json({ error: verdict.reason });
      return;
    }
    const t = now();
    if (t - window.start >= 60_000) window = { start: t, count: 0 };
    if (++window.count > WEBHOOK_RATE_PER_MINUTE) {
      res.status(429).set('Retry-After', String(Math.ceil((window.start + 60_000 - t) / 1000))).json({ error: 'too many webhook calls this minute; a fetch is already on its way' });
      return;
    }
    options.trigger();
    res.status(202).json({ accepted: true, scheme: verdict.scheme, message: 'fetching the repository now' });
  });
  return router;
}
