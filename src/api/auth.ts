// Bearer-token authentication for the action routes (SPEC §5): constant-time comparison, disabled
// with a clear 403 when no token is configured, and failed attempts counted per client address.
//
// The token is checked before anything else, so the right token always works: a lockout keyed on
// the address would let anyone on the same host (every local process is 127.0.0.1) lock the
// operator out by failing on purpose. What stops guessing is the token's length (a random 32-byte
// token is out of reach at any request rate); the failure count only slows a guesser down: past
// the allowance, each wrong attempt is answered 429 after a delay.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { FailureTable } from './failure-table.js';

/** Wrong attempts per client address per window answered at once with 401; beyond, slowed 429s. */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Addresses whose failures are remembered at most (least recently failed forgotten first). */
export const MAX_FAILURE_ENTRIES = 10_000;
/** How long a wrong attempt past the allowance waits for its 429. */
export const SLOW_DOWN_MS = 1_000;
/** Slowed answers held at once; beyond, they are sent without the delay rather than pile up sockets. */
const MAX_SLOWED = 256;

export interface BearerAuthOptions {
  now?: () => number;
  /** Delay of a 429 (default SLOW_DOWN_MS); tests pass 0. */
  slowDownMs?: number;
  maxEntries?: number;
  /** The client's address (default: the socket's peer; behind DSR's own gateway workers, the address they forward). */
  clientAddress?: (req: Request) => string | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Whether `presented` equals `expected`, in time independent of where they differ (hashing first also hides the length). */
export function tokenMatches(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Express middleware requiring `Authorization: Bearer <token>`. */
export function bearerAuth(token: string | null, options: BearerAuthOptions = {}): RequestHandler {
  const now = options.now ?? Date.now;
  const slowDownMs = options.slowDownMs ?? SLOW_DOWN_MS;
  const table = new FailureTable({ allowed: MAX_FAILURES, windowMs: FAILURE_WINDOW_MS, maxEntries: options.maxEntries ?? MAX_FAILURE_ENTRIES });
  let slowed = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) {
      res.status(403).json({ error: 'actions are disabled: start DSR with DSR_TOKEN set to enable promote, abort, pause, resume and retry' });
      return;
    }
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (match && tokenMatches(token, match[1]!.trim())) {
      next();
      return;
    }
    const verdict = table.fail((options.clientAddress ? options.clientAddress(req) : req.socket.remoteAddress) ?? 'unknown', now());
    if (verdict.status === 401) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: match ? 'token refused: send the token DSR runs with (DSR_TOKEN, or the one in <data>/token on its host)' : 'missing Authorization: Bearer <token> header (DSR_TOKEN, or the one in <data>/token on the host)' });
      return;
    }
    const answer = (): void => {
      if (res.destroyed) return;
      res
        .status(429)
        .set('Retry-After', String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))))
        .json({ error: 'too many failed attempts from this address: wrong tokens are answered slowly for a while; check the token (DSR_TOKEN, or <data>/token on the host); the right one is always accepted' });
    };
    if (slowDownMs <= 0 || slowed >= MAX_SLOWED) {
      answer();
      return;
    }
    slowed++;
    setTimeout(() => {
      slowed--;
      answer();
    }, slowDownMs);
  };
}
