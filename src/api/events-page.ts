// GET /events (SPEC §5): one page of the event log, oldest first, with a `next` cursor.
import type { Request, RequestHandler } from 'express';
import type { DsrEvent, EventLog } from '../events/types.js';
import { pageQuery } from './event-params.js';

/** The JSON body of GET /events. */
export interface EventsPage {
  events: DsrEvent[];
  /** Pass as `since` to get the following page; null when this page reached the end of the log. */
  next: number | null;
  /** The id of the newest event in the log (whatever the filters). */
  lastId: number;
}

/**
 * Answers GET /events. With `since`, the first `limit` matches after it and a `next` cursor when
 * more match (one extra event is read to know, so an empty following page is never promised).
 * Without `since`, the newest `limit` matches; `next` is then null: a follower continues from
 * `lastId` (or better, GET /events/stream).
 */
export function eventsPage(log: EventLog): RequestHandler {
  return async (req: Request, res, next) => {
    try {
      const query = pageQuery(req.query);
      if (query.since === undefined) {
        const events = await log.query(query);
        res.json({ events, next: null, lastId: log.lastId() } satisfies EventsPage);
        return;
      }
      const found = await log.query({ ...query, limit: query.limit + 1 });
      const more = found.length > query.limit;
      const events = more ? found.slice(0, query.limit) : found;
      // lastId read after the query, so it is never older than an event of the page.
      res.json({ events, next: more ? (events.at(-1)?.id ?? query.since) : null, lastId: log.lastId() } satisfies EventsPage);
    } catch (error) {
      next(error);
    }
  };
}
