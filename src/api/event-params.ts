// Reading the event filters of GET /events and /events/stream from a request. Pure: takes the
// parsed query (and the Last-Event-ID header), returns an EventQuery or throws a 400.
import type { EventQuery } from '../events/types.js';

/** Limit of GET /events when none is given, and the most one page returns. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 10_000;
/**
 * Events one request may examine (matching or not). Reading and parsing 20 000 events of the log
 * on disk is about 5 MB and tens of milliseconds; a filter that matches nothing in a 100 MB log
 * then costs a client many requests (each with a cursor to continue), not DSR 0.7 s of CPU per call.
 */
export const SCAN_BUDGET = 20_000;

/** An invalid parameter; the API answers it as `400 {"error": message}`. */
export class ParamError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

type RawQuery = Record<string, unknown>;

/** An optional non-negative integer parameter ('' counts as absent). */
export function intParam(query: RawQuery, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
    throw new ParamError(`query parameter ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** An optional string parameter given at most once ('' counts as absent). */
export function stringParam(query: RawQuery, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new ParamError(`query parameter ${name} must be given once`);
  return raw;
}

/** The service and kind filters shared by both event routes. */
export function filterParams(query: RawQuery): Pick<EventQuery, 'service' | 'kind'> {
  const out: Pick<EventQuery, 'service' | 'kind'> = {};
  const service = stringParam(query, 'service');
  const kind = stringParam(query, 'kind');
  if (service !== undefined) out.service = service;
  if (kind !== undefined) out.kind = kind;
  return out;
}

/**
 * The query of GET /events: `since`, `before`, `service`, `kind`, and `limit` (default 100, at most
 * 10000). Example: `?since=40&kind=rollout.&limit=5` → {since: 40, kind: 'rollout.', limit: 5}.
 */
export function pageQuery(query: RawQuery): EventQuery & { limit: number } {
  const since = intParam(query, 'since');
  const before = intParam(query, 'before');
  const limit = Math.min(intParam(query, 'limit') ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);
  return { ...filterParams(query), ...(since === undefined ? {} : { since }), ...(before === undefined ? {} : { before }), limit };
}

/**
 * Where a stream starts: after the `Last-Event-ID` header (a reconnecting EventSource sends it),
 * else after `?since=`, else null (only events appended from now on).
 */
export function streamStart(query: RawQuery, lastEventId: string | undefined): number | null {
  if (lastEventId !== undefined && lastEventId.trim() !== '') {
    const value = lastEventId.trim();
    if (!/^\d{1,15}$/.test(value)) throw new ParamError(`Last-Event-ID must be an event id (a non-negative integer), got ${JSON.stringify(value)}`);
    return Number(value);
  }
  return intParam(query, 'since') ?? null;
}
