// The newest events, kept in memory so the queries a dashboard, `dsr events --follow` or a paging
// client make ("the last 50", "everything after id N" for a recent N) cost what they return, not
// a read of a 10 MiB file.
import { firstAfter, type ScanCounter } from './query.js';
import type { DsrEvent, EventQuery } from './types.js';

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
   * Feeds `counter` the events of `q` the ring holds, in scan order, and says whether that answers
   * the query (no file needs reading). A `since` query is answered when `since` falls inside the
   * ring (else nothing is fed and the files answer it all); a tail query when the counter stopped
   * (limit or budget) or the ring holds the whole log; otherwise the files continue below `below`.
   */
  feed(q: EventQuery, counter: ScanCounter): { complete: boolean; below: number } {
    const oldest = this.oldestId();
    const below = Math.min(counter.before, oldest ?? Infinity);
    if (q.since !== undefined) {
      const covered = this.#holdsAll || (oldest !== null && q.since >= oldest - 1);
      if (!covered) return { complete: false, below };
      for (let i = firstAfter(this.#events, q.since); i < this.#events.length && this.#events[i]!.id < counter.before; i++) {
        if (counter.examine(this.#events[i]!)) break;
      }
      return { complete: true, below };
    }
    for (let i = firstAfter(this.#events, counter.before - 1) - 1; i >= 0; i--) {
      if (counter.examine(this.#events[i]!)) return { complete: true, below };
    }
    return { complete: this.#holdsAll, below };
  }
}
