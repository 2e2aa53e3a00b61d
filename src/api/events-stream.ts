// GET /events/stream (SPEC §5): the event log as Server-Sent Events. A client that reconnects
// with Last-Event-ID (browsers do it on their own) gets every event it missed exactly once.
//
// The replay/live boundary is where streams usually lose or repeat events, so the order matters:
// subscribe first and buffer what arrives, then replay from the log, then flush the buffer,
// skipping ids already accounted for. Events are appended in id order, so "highest id sent so
// far" is the whole deduplication state.
//
// What one stream may cost is bounded: the replay reads the log a page at a time (each page a
// bounded scan) and waits for the client to read a page before reading the next, so a client that
// never reads holds one page, not the log; live events held meanwhile are capped (past the cap
// they are dropped and read back from the log by one more replay pass, since every event is on
// disk before it is announced); and at most `maxStreams` streams are open at once (503 beyond).
import type { Request, RequestHandler, Response } from 'express';
import { matchesFilters } from '../events/query.js';
import type { DsrEvent, EventLog, EventQuery } from '../events/types.js';
import { SCAN_BUDGET, filterParams, streamStart } from './event-params.js';
import { formatSseComment, formatSseEvent, formatSseRetry } from './sse.js';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
  heartbeatMs?: number;
  /**
   * Bytes queued for a client that does not read fast enough before it is disconnected; it then
   * reconnects with Last-Event-ID and catches up from the log on disk instead of from our memory.
   */
  maxBacklogBytes?: number;
  /** Delay a browser waits before reconnecting after a drop (the SSE `retry:` field). */
  retryMs?: number;
  /** Streams open at once (DSR_MAX_EVENT_STREAMS, default 64); one more is answered 503 with Retry-After. */
  maxStreams?: number;
  /** Events examined per replay page (default SCAN_BUDGET). */
  scanBudget?: number;
}

/** Default of EventStreamOptions.maxStreams. */
export const DEFAULT_MAX_STREAMS = 64;
/** Events sent per replay page, so a long replay never holds more than one page in memory. */
const REPLAY_PAGE = 500;
/** Live events held while a replay runs; past it they are dropped and replayed from the log. */
const MAX_HELD = 1000;

/** Answers GET /events/stream?since=&service=&kind= (see the file comment). */
export function eventsStream(log: EventLog, options: EventStreamOptions = {}): RequestHandler {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBacklogBytes = options.maxBacklogBytes ?? 1024 * 1024;
  const retryMs = options.retryMs ?? 2_000;
  const maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  const scanBudget = options.scanBudget ?? SCAN_BUDGET;
  let open = 0;
  return (req: Request, res: Response, next) => {
    let filters: Pick<EventQuery, 'service' | 'kind'>;
    let start: number | null;
    try {
      filters = filterParams(req.query);
      start = streamStart(req.query, req.get('last-event-id'));
    } catch (error) {
      next(error);
      return;
    }
    if (open >= maxStreams) {
      res
        .status(503)
        .set('Retry-After', String(Math.max(1, Math.round(retryMs / 1000))))
        .json({ error: `${open} event streams are open, the most DSR serves at once (DSR_MAX_EVENT_STREAMS); retry later or poll GET /events?since=` });
      return;
    }
    open++;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(formatSseRetry(retryMs));

    let closed = false;
    // Live events held during the replay; null once live. `overflowed`: some were dropped.
    let buffer: DsrEvent[] | null = [];
    let overflowed = false;
    // The highest id sent or deliberately skipped; nothing at or below it is sent again.
    let cursor = 0;
    const send = (e: DsrEvent): void => {
      if (closed || e.id <= cursor) return;
      cursor = e.id;
      if (!matchesFilters(e, filters)) return;
      res.write(formatSseEvent(e.id, JSON.stringify(e)));
      if (res.writableLength > maxBacklogBytes) res.destroy();
    };
    const unsubscribe = log.subscribe((e) => {
      if (!buffer) send(e);
      else if (buffer.length < MAX_HELD) buffer.push(e);
      else overflowed = true;
    });
    const heartbeat = setInterval(() => res.write(formatSseComment('keep-alive')), heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      open--;
      closed = true;
      buffer = null;
      clearInterval(heartbeat);
      unsubscribe();
    });
    res.on('error', () => undefined);

    void (async () => {
      const lastId = log.lastId();
      // An id above the log's last comes from another log (a wiped data folder): it says nothing
      // about what this client has seen here, so it starts with what happens next.
      if (start === null || start > lastId) cursor = lastId;
      else {
        cursor = start;
        let from = start;
        for (;;) {
          from = await replay(log, { ...filters, since: Math.max(from, cursor) }, scanBudget, send, res, () => closed);
          if (!overflowed || closed) break;
          // Live events were dropped while replaying: they are in the log, after where this pass
          // began reading its last page; hold new ones again and read on from there.
          overflowed = false;
          buffer = [];
        }
      }
      const pending = buffer ?? [];
      buffer = null;
      for (const e of pending) send(e);
    })().catch((error: unknown) => {
      // Headers are out, so no status can say it; the client reconnects with Last-Event-ID.
      if (!closed) res.end(formatSseComment(`error: ${(error as Error).message}`));
    });
  };
}

/**
 * Sends every event of the log after `query.since` matching its filters, one bounded page at a
 * time, reading the next page only once the client has taken the last one. Resolves with the
 * position the last page started from (every event after it was examined or is still to come).
 */
async function replay(log: EventLog, query: EventQuery & { since: number }, budget: number, send: (e: DsrEvent) => void, res: Response, closed: () => boolean): Promise<number> {
  let since = query.since;
  for (;;) {
    const page = await log.scan({ ...query, since, limit: REPLAY_PAGE }, budget);
    if (closed()) return since;
    for (const e of page.events) send(e);
    const resumeAt = page.resumeAt ?? (page.events.length === REPLAY_PAGE ? page.events.at(-1)!.id : null);
    if (resumeAt === null) return since;
    since = resumeAt;
    if (res.writableNeedDrain) await drainedOrClosed(res);
    // Let other requests run between pages of a long replay.
    else await new Promise((resume) => setImmediate(resume));
    if (closed()) return since;
  }
}
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resume) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resume();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
