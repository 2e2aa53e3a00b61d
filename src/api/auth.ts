// Bearer-token authentication for the action routes (SPEC §5): constant-time comparison, disabled
// with a clear 403 when no token is configured, and a limit on failed attempts per client address
// so the token cannot be guessed at network speed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction, RequestHandler } from 'express';

/** Failed attempts allowed per client address per window before answering 429. */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Whether `presented` equals `expected`, in time independent of where they differ (hashing first also hides the length). */
export function tokenMatches(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Express middleware requiring `Authorization: Bearer <token>`. */
export function bearerAuth(token: string | null, now: () => number = Date.now): RequestHandler {
  const failures = new Map<string, { count: number; since: number }>();
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) {
      res.status(403).json({ error: 'actions are disabled: start DSR with DSR_TOKEN set to enable promote, abort, pause, resume and retry' });
      return;
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    const record = failures.get(client);
    if (record && now() - record.since > FAILURE_WINDOW_MS) failures.delete(client);
    const current = failures.get(client);
    if (current && current.count >= MAX_FAILURES) {
      res.status(429).set('Retry-After', String(Math.ceil((current.since + FAILURE_WINDOW_MS - now()) / 1000))).json({ error: 'too many failed attempts; wait a minute and check the token (DSR_TOKEN, or <data>/token on the host)' });
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokenMatches(token, match[1]!.trim())) {
      const entry = failures.get(client) ?? { count: 0, since: now() };
      entry.count++;
      failures.set(client, entry);
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: match ? 'token refused: send the token DSR runs with (DSR_TOKEN, or the one in <data>/token on its host)' : 'missing Authorization: Bearer <token> header (DSR_TOKEN, or the one in <data>/token on the host)' });
      return;
    }
    failures.delete(client);
    next();
  };
}
