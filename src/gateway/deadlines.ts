// Coarse deadlines for upstream attempts: one interval sweeps every running attempt instead of a
// timer per attempt (two timers per request cost more than the rest of its bookkeeping). The
// resolution (default 50 ms) is ample for connect and response timeouts measured in seconds.
// The running attempts sit in a plain array (each knows its slot, removal swaps the last one in):
// a Set here made V8 promote every attempt to the old generation, tripling GC time.

/** Something that expires at `deadline` (ms on the deadlines' clock; Infinity = never). */
export interface Expiring {
  deadline: number;
  /** Slot in the deadlines' array, -1 when not watched; owned by Deadlines. */
  deadlineSlot: number;
  expire(): void;
}

/** The running deadlines and the interval that checks them. */
export class Deadlines {
  private readonly items: Expiring[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly now: () => number = () => performance.now(), private readonly resolutionMs = 50) {}

  /** Starts watching `item` (no-op when already watched). */
  add(item: Expiring): void {
    if (item.deadlineSlot !== -1) return;
    item.deadlineSlot = this.items.length;
    this.items.push(item);
    if (this.timer === null) this.timer = setInterval(() => this.sweep(), this.resolutionMs).unref();
  }

  /** Stops watching `item` (no-op when not watched). */
  delete(item: Expiring): void {
    const slot = item.deadlineSlot;
    if (slot === -1) return;
    item.deadlineSlot = -1;
    const last = this.items.pop()!;
    if (last !== item) {
      this.items[slot] = last;
      last.deadlineSlot = slot;
    }
  }

  /** Number of watched items. */
  get size(): number {
    return this.items.length;
  }

  /** Stops the interval; nothing expires afterwards. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const item of this.items) item.deadlineSlot = -1;
    this.items.length = 0;
  }

  private sweep(): void {
    if (this.items.length === 0) {
      clearInterval(this.timer!);
      this.timer = null;
      return;
    }
    const now = this.now();
    const due = this.items.filter((item) => item.deadline <= now);
    for (const item of due) {
      this.delete(item);
      item.expire();
    }
  }
}
