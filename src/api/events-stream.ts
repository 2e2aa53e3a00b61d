// GET /events/stream (SPEC §5): the event log as Server-Sent Events. A client that reconnects
// with Last-Event-ID (browsers do it on their own) gets every event it missed exactly once.
//
// The replay/live boundary is where streams usually lose or repeat events, so the order matters:
// subscribe first and buffer what arrives, then replay from the log, then flush the buffer,
// skipping ids already accounted for. Events are appended in id order, so "highest id sent so
// far" is the whole deduplication state.
import type { Request, RequestHandler, Response } from 'express';
import { matchesFilters } from '../events/query.js';
import type { DsrEvent, EventLog, EventQuery } from '../events/types.js';
import { filterParams, streamStart } from './event-params.js';
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
}

/** Events read per query while replaying, so a long replay never loads the whole log at once. */
const REPLAY_PAGE = 1000;

/** Answers GET /events/stream?since=&service=&kind= (see the file comment). */
export function eventsStream(log: EventLog, options: EventStreamOptions = {}): RequestHandler {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBacklogBytes = options.maxBacklogBytes ?? 8 * 1024 * 1024;
  const retryMs = options.retryMs ?? 2_000;
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
    let buffer: DsrEvent[] | null = [];
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
      if (buffer) buffer.push(e);
      else send(e);
    });
    const heartbeat = setInterval(() => res.write(formatSseComment('keep-alive')), heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
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
        await replay(log, { ...filters, since: start }, send, res, () => closed);
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

/** Sends every event of the log after `query.since` matching its filters, a page at a time, honouring back-pressure. */
async function replay(log: EventLog, query: EventQuery & { since: number }, send: (e: DsrEvent) => void, res: Response, closed: () => boolean): Promise<void> {
  let since = query.since;
  for (;;) {
    const page = await log.query({ ...query, since, limit: REPLAY_PAGE });
    if (closed()) return;
    for (const e of page) send(e);
    if (page.length < REPLAY_PAGE) return;
    since = page.at(-1)!.id;
    if (res.writableNeedDrain) await drainedOrClosed(res);
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
