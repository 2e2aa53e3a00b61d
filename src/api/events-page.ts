// GET /events (SPEC §5): one page of the event log, oldest first, with cursors to continue. Each
// request examines at most a bounded number of events (SCAN_BUDGET), so a filter that matches
// nothing costs a bounded amount per request; the cursor says where the next request continues.
import type { Request, RequestHandler } from 'express';
import type { DsrEvent, EventLog } from '../events/types.js';
import { SCAN_BUDGET, pageQuery } from './event-params.js';

/** The JSON body of GET /events. */
export interface EventsPage {
  events: DsrEvent[];
  /**
   * With `since`: pass as `since` to get the following page; null when this page reached the end
   * of the log. A page that stopped at the scan bound may hold fewer events than `limit`, even
   * none, and still have a `next`: keep following it.
   */
  next: number | null;
  /**
   * Without `since` (the newest events): pass as `before` to look further back; null when the
   * scan reached the first event of the log. With `since`, always null.
   */
  before: number | null;
  /** The id of the newest event in the log (whatever the filters). */
  lastId: number;
}

/**
 * Answers GET /events. With `since`, the first `limit` matches after it and a `next` cursor when
 * more may match (one extra event is read when the page fills, so a full last page says null).
 * Without `since`, the newest `limit` matches (below `before` if given) and a `before` cursor;
 * `next` is then null: a follower continues from `lastId` (or better, GET /events/stream).
 */
export function eventsPage(log: EventLog, scanBudget = SCAN_BUDGET): RequestHandler {
  return async (req: Request, res, next) => {
    try {
      const query = pageQuery(req.query);
      if (query.since === undefined) {
        const found = await log.scan(query, scanBudget);
        const filled = query.limit > 0 && found.events.length >= query.limit;
        const before = found.resumeAt ?? (filled ? found.events[0]!.id : null);
        res.json({ events: found.events, next: null, before, lastId: log.lastId() } satisfies EventsPage);
        return;
      }
      const found = await log.scan({ ...query, limit: query.limit + 1 }, scanBudget);
      const more = found.events.length > query.limit;
      const events = more ? found.events.slice(0, query.limit) : found.events;
      const cursor = more ? (events.at(-1)?.id ?? query.since) : found.resumeAt;
      // lastId read after the query, so it is never older than an event of the page.
      res.json({ events, next: cursor, before: null, lastId: log.lastId() } satisfies EventsPage);
    } catch (error) {
      next(error);
    }
  };
}
