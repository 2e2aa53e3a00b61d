// A work queue keyed by service, as controller-runtime's: a key says only *which* service needs a
// pass, never why, so a burst of events for one service collapses into a single pass. A key is
// never processed twice at once; a key added while it is being processed runs once more after.
// A pass that only waits (an instance draining its requests) can give its worker slot back with
// release(): its key stays busy, other keys run.

/** What a pass returns: done, or look again after `requeueAfterMs`. Errors are thrown. */
export interface PassResult {
  requeueAfterMs?: number;
}

export interface WorkQueueOptions {
  /** Passes of different keys that may run at the same time. */
  concurrency: number;
  /** Delay before retrying a key whose pass threw the n-th time in a row (n >= 1). */
  errorBackoffMs?: (failures: number) => number;
  onError?: (key: string, error: unknown, retryInMs: number) => void;
}

/** Exponential back-off for failing passes: 500 ms, 1 s, 2 s ... capped at 60 s. */
export function defaultErrorBackoff(failures: number): number {
  return Math.min(60_000, 500 * 2 ** Math.max(0, failures - 1));
}

/** Processes keys with `worker`, deduplicating, delaying and retrying as described above. */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly order: string[] = [];
  private readonly running = new Set<string>();
  /** Running passes that hold a worker slot (the others released it). */
  private busySlots = 0;
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly worker: (key: string, release: () => void) => Promise<PassResult>,
    private readonly options: WorkQueueOptions,
  ) {}

  /** Queues `key` now, or after `delayMs` (an earlier schedule of the same key wins). */
  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const at = Date.now() + delayMs;
      const existing = this.delayed.get(key);
      if (existing && existing.at <= at) return;
      if (existing) clearTimeout(existing.timer);
      const timer = setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, delayMs);
      timer.unref();
      this.delayed.set(key, { at, timer });
      return;
    }
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.order.push(key);
    this.pump();
  }

  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work; passes already running finish. */
  stop(): void {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.pending.clear();
    this.order.length = 0;
  }

  private pump(): void {
    while (!this.stopped && this.busySlots < this.options.concurrency && this.order.length > 0) {
      const key = this.order.shift()!;
      this.pending.delete(key);
      this.running.add(key);
      this.busySlots++;
      void this.process(key);
    }
    if (this.pending.size === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async process(key: string): Promise<void> {
    let retryIn = 0;
    let holding = true;
    const release = (): void => {
      if (!holding) return;
      holding = false;
      this.busySlots--;
      this.pump();
    };
    try {
      const result = await this.worker(key, release);
      this.failures.delete(key);
      retryIn = result.requeueAfterMs ?? 0;
    } catch (error) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      retryIn = (this.options.errorBackoffMs ?? defaultErrorBackoff)(n);
      this.options.onError?.(key, error, retryIn);
    } finally {
      if (holding) this.busySlots--;
      holding = false;
      this.running.delete(key);
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (retryIn > 0) this.add(key, retryIn);
    this.pump();
  }
}
