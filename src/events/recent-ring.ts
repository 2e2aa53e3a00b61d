// The newest events, kept in memory so the queries a dashboard, `dsr events --follow` or a paging
// client make ("the last 50", "everything after id N" for a recent N) cost what they return, not
// a read of a 10 MiB file.
import { matchesFilters, selectEvents } from './query.js';
import type { DsrEvent, EventQuery } from './types.js';

/** What the ring could answer: `complete` = no file needs reading; otherwise `events` are the newest part. */
export interface RingAnswer {
  events: DsrEvent[];
  complete: boolean;
}

/** The last `capacity` (up to twice that, between trims) events in id order. */
export class RecentEvents {
  #events: DsrEvent[];
  /** True while the ring holds every event still on disk, so no query ever needs the files. */
  #holdsAll: boolean;
  readonly #capacity: number;

  /** Starts from `initial` (oldest first); `holdsAll` says whether that is the whole log. */
  constructor(capacity: number, initial: DsrEvent[], holdsAll: boolean) {
    this.#capacity = capacity;
    this.#events = initial;
    this.#holdsAll = holdsAll;
  }

  /** The id of the oldest event held, null when empty. */
  oldestId(): number | null {
    return this.#events[0]?.id ?? null;
  }

  /** Adds the newest event; amortized O(1) (trims to `capacity` once it holds twice that). */
  push(e: DsrEvent): void {
    this.#events.push(e);
    if (this.#events.length >= 2 * this.#capacity) {
      this.#events = this.#events.slice(-this.#capacity);
      this.#holdsAll = false;
    }
  }

  /** Forgets events with id < `id` (their file was deleted by retention), so the ring never outlives the disk. */
  dropBefore(id: number): void {
    const keepFrom = this.#events.findIndex((e) => e.id >= id);
    this.#events = keepFrom < 0 ? [] : this.#events.slice(keepFrom);
  }

  /**
   * Answers `q` from memory when it can. A `since` query is complete when `since` falls inside
   * the ring; a tail query (no `since`) when enough matches are held, else it returns the
   * matches it has, which are the newest ones, and the caller continues in the files.
   */
  answer(q: EventQuery): RingAnswer {
    const oldest = this.oldestId();
    if (q.since !== undefined) {
      const covered = this.#holdsAll || (oldest !== null && q.since >= oldest - 1);
      return covered ? { events: selectEvents(this.#events, q), complete: true } : { events: [], complete: false };
    }
    const limit = q.limit ?? Infinity;
    const out: DsrEvent[] = [];
    for (let i = this.#events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.#events[i]!;
      if (matchesFilters(e, q)) out.push(e);
    }
    return { events: out.reverse(), complete: this.#holdsAll || out.length >= limit };
  }
}
