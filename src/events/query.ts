// The pure half of querying: which events match, and which of the matches a query keeps. Both
// event log implementations (and the JSONL log's in-memory ring) answer through these.
import type { DsrEvent, EventQuery, ScanResult } from './types.js';

/** Throws a RangeError naming the field when `since`, `before` or `limit` is not a non-negative integer. */
export function checkQuery(q: EventQuery): void {
  for (const field of ['since', 'before', 'limit'] as const) {
    const value = q[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`event query: ${field} must be a non-negative integer, got ${String(value)}`);
    }
  }
}

/** Throws a RangeError unless `maxExamined` is a positive integer or Infinity (no bound). */
export function checkBudget(maxExamined: number): void {
  if (maxExamined !== Infinity && (!Number.isSafeInteger(maxExamined) || maxExamined < 1)) {
    throw new RangeError(`event scan: maxExamined must be a positive integer, got ${String(maxExamined)}`);
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
  return scanEvents(events, q, Infinity).events;
}

/**
 * `selectEvents` examining at most `maxExamined` events (see ScanResult). Example, ids 1..10,
 * none matching, maxExamined 3: {since: 0} → resumeAt 3; {} (a tail) → resumeAt 8.
 */
export function scanEvents(events: readonly DsrEvent[], q: EventQuery, maxExamined: number): ScanResult {
  checkQuery(q);
  checkBudget(maxExamined);
  const counter = new ScanCounter(q, maxExamined);
  if (counter.full()) return counter.result();
  if (q.since !== undefined) {
    for (let i = firstAfter(events, q.since); i < events.length && events[i]!.id < counter.before; i++) {
      if (counter.examine(events[i]!)) break;
    }
  } else {
    for (let i = firstAfter(events, counter.before - 1) - 1; i >= 0; i--) {
      if (counter.examine(events[i]!)) break;
    }
  }
  return counter.result();
}

/**
 * The bookkeeping every scan shares (the arrays here, the files in file-scan.ts): keeps matches up
 * to the limit and counts examined events against the budget. Events are fed in scan order
 * (oldest first for a `since` query, newest first for a tail); result() returns them oldest first.
 */
export class ScanCounter {
  readonly #q: EventQuery;
  readonly #limit: number;
  #remaining: number;
  readonly #found: DsrEvent[] = [];
  #resumeAt: number | null = null;
  /** The exclusive upper id bound (`before`, or no bound). */
  readonly before: number;

  constructor(q: EventQuery, maxExamined: number) {
    this.#q = q;
    this.#limit = q.limit ?? Infinity;
    this.#remaining = maxExamined;
    this.before = q.before ?? Infinity;
  }

  /** Whether nothing more may be kept (the limit is reached or was 0). */
  full(): boolean {
    return this.#found.length >= this.#limit;
  }

  /** Examines one event in range; true when the scan must stop (limit filled or budget spent). */
  examine(e: DsrEvent): boolean {
    this.#remaining--;
    if (matchesFilters(e, this.#q)) this.#found.push(e);
    if (this.full()) return true;
    if (this.#remaining > 0) return false;
    this.#resumeAt = e.id;
    return true;
  }

  /** Whether the budget is spent (the scan stopped early and must not read further). */
  stopped(): boolean {
    return this.full() || this.#resumeAt !== null;
  }

  /** The matches oldest first, and where to resume when the budget ran out. */
  result(): ScanResult {
    const events = this.#q.since !== undefined ? this.#found : [...this.#found].reverse();
    return { events, resumeAt: this.#resumeAt };
  }
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
