// The pure half of querying: which events match, and which of the matches a query keeps. Both
// event log implementations (and the JSONL log's in-memory ring) answer through these.
import type { DsrEvent, EventQuery } from './types.js';

/** Throws a RangeError naming the field when `since` or `limit` is not a non-negative integer. */
export function checkQuery(q: EventQuery): void {
  for (const field of ['since', 'limit'] as const) {
    const value = q[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`event query: ${field} must be a non-negative integer, got ${String(value)}`);
    }
  }
}

/** Whether `kind` passes the filter: equal, or starting with it when the filter ends with '.'. */
export function kindMatches(kind: string, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  return filter.endsWith('.') ? kind.startsWith(filter) : kind === filter;
}

/** Whether `e` passes the service and kind filters of `q` (`since` and `limit` are not checked). */
export function matchesFilters(e: DsrEvent, q: EventQuery): boolean {
  if (q.service !== undefined && q.service !== '' && e.service !== q.service) return false;
  return kindMatches(e.kind, q.kind);
}

/**
 * Applies a whole query to `events`, which must be sorted by id, and returns the kept events
 * oldest first. Example, ids 1..10, all matching: {since: 4, limit: 2} → 5, 6; {limit: 2} → 9, 10.
 */
export function selectEvents(events: readonly DsrEvent[], q: EventQuery): DsrEvent[] {
  checkQuery(q);
  const limit = q.limit ?? Infinity;
  const out: DsrEvent[] = [];
  if (limit === 0) return out;
  if (q.since !== undefined) {
    for (let i = firstAfter(events, q.since); i < events.length && out.length < limit; i++) {
      const e = events[i]!;
      if (matchesFilters(e, q)) out.push(e);
    }
    return out;
  }
  for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
    const e = events[i]!;
    if (matchesFilters(e, q)) out.push(e);
  }
  return out.reverse();
}

/** Index of the first event with id > `since` in id-sorted `events` (binary search). */
export function firstAfter(events: readonly DsrEvent[], since: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.id <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
