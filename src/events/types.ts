// The event log's vocabulary. Every action DSR takes is recorded as one DsrEvent (SPEC §5); the
// API serves them at GET /events and /events/stream, the dashboard shows the latest ones.

/** One recorded event. `id` increases by one per event and never repeats, across restarts too. */
export interface DsrEvent {
  id: number;
  /** ISO 8601 time the event was appended. */
  time: string;
  /** Dotted kind, e.g. `rollout.started`, `manifest.invalid`, `prune.blocked`. */
  kind: string;
  service: string | null;
  version: string | null;
  /** The git commit (or worktree revision) the event relates to. */
  revision: string | null;
  message: string;
  data: Record<string, unknown>;
}

/** What a caller appends: the log assigns `id` and `time`; missing fields become null / `{}`. */
export interface NewEvent {
  kind: string;
  message: string;
  service?: string | null;
  version?: string | null;
  revision?: string | null;
  data?: Record<string, unknown>;
}

/**
 * A filter over the log. Results are always oldest first ("newest last").
 *
 * - `since`: only events with `id > since`. With `limit`, the FIRST `limit` matches after `since`
 *   are returned, so a paging client can pass the last id it got as the next `since` and never
 *   miss an event: `{since: 0, limit: 100}` → ids 1..100, then `{since: 100, limit: 100}` → 101..200.
 * - no `since`: with `limit`, the NEWEST `limit` matches (the tail a dashboard wants);
 *   `{limit: 3}` on ids 1..10 → 8, 9, 10.
 * - `before`: only events with `id < before`. Without `since`, `{before: 8, limit: 2}` on ids
 *   1..10 → 6, 7: a client paging backwards passes the oldest id it got as the next `before`.
 * - `service`: exact service name.
 * - `kind`: exact kind, or a prefix when it ends with '.': `rollout.` matches `rollout.started`
 *   and `rollout.aborted` but not `rollouts.x` or `rollout`.
 * - `limit`: a non-negative integer; 0 returns nothing. Absent = no limit.
 */
export interface EventQuery {
  since?: number;
  before?: number;
  service?: string;
  kind?: string;
  limit?: number;
}

/**
 * What a bounded scan found. `resumeAt` is set only when the scan stopped because it had examined
 * its `maxExamined` events, before the end of its range and before filling `limit`: it is the id of
 * the last event examined. Continue with `since: resumeAt` (a `since` query, which scans forward)
 * or `before: resumeAt` (a tail query, which scans backward). Example, ids 1..10, kind filter
 * matching only 9, maxExamined 4: {since: 0} → [], resumeAt 4; {since: 4} → [], resumeAt 8;
 * {since: 8} → [9], resumeAt null.
 */
export interface ScanResult {
  events: DsrEvent[];
  resumeAt: number | null;
}

/** A durable, append-only record of events. Implementations: JsonlEventLog (disk), MemoryEventLog (tests). */
export interface EventLog {
  /** Appends one event and resolves once it is written, with its assigned id and time. */
  append(e: NewEvent): Promise<DsrEvent>;
  /** Returns the events matching `q`, oldest first (see EventQuery for `since`/`limit`). Unbounded: for trusted callers. */
  query(q: EventQuery): Promise<DsrEvent[]>;
  /**
   * Like `query`, but examines at most `maxExamined` events (matching or not), so the work of one
   * call is bounded whatever the filters; `resumeAt` says where to continue (see ScanResult).
   */
  scan(q: EventQuery, maxExamined: number): Promise<ScanResult>;
  /**
   * Calls `listener` with every event appended from now on, in id order, after it is written.
   * A throwing listener is reported and does not affect the append. Returns the unsubscribe function.
   */
  subscribe(listener: (e: DsrEvent) => void): () => void;
  /** The id of the last event written, 0 for an empty log. */
  lastId(): number;
  /** Bytes the log occupies (all retained files). */
  sizeBytes(): number;
  /** Waits for pending appends, then releases the log; later appends and queries reject. */
  close(): Promise<void>;
}
