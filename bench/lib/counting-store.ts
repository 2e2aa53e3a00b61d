// A Store that counts what the controller asks of it and passes everything on: how many updates
// a convergence costs, how many of them wrote the file, and how long they took.
import type { Store } from '../../src/store/store.js';

/** Update counts of one measured window. */
export interface StoreStats {
  updates: number;
  writes: number;
  /** From call to resolution, so it includes waiting behind earlier updates. */
  totalMs: number;
}

/** Delegates to `inner`, counting update() calls and the ones that wrote; `reset()` starts a new window. */
export class CountingStore<T> implements Store<T> {
  stats: StoreStats = { updates: 0, writes: 0, totalMs: 0 };

  constructor(private readonly inner: Store<T>) {}

  /** Starts a new window and returns the previous one. */
  reset(): StoreStats {
    const previous = this.stats;
    this.stats = { updates: 0, writes: 0, totalMs: 0 };
    return previous;
  }

  read(): T {
    return this.inner.read();
  }

  async update(mutate: (draft: T) => void): Promise<boolean> {
    const stats = this.stats;
    const start = performance.now();
    const wrote = await this.inner.update(mutate);
    stats.updates++;
    if (wrote) stats.writes++;
    stats.totalMs += performance.now() - start;
    return wrote;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
