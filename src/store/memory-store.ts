// A Store held in memory, for other modules' unit tests. Same contract as LowdbStore.
import { SerialUpdates } from './serial-updates.js';
import type { Store } from './store.js';

/** An in-memory Store; `writes` counts the updates that changed something, for assertions. */
export class MemoryStore<T> implements Store<T> {
  readonly #updates: SerialUpdates<T>;
  #writes = 0;

  /** Starts from a copy of `initial`. */
  constructor(initial: T) {
    this.#updates = new SerialUpdates(
      initial,
      async () => {
        this.#writes++;
      },
      'memory store',
    );
  }

  /** Number of updates that changed the state (what LowdbStore would have written). */
  get writes(): number {
    return this.#writes;
  }

  /** See Store.read. */
  read(): T {
    return this.#updates.read();
  }

  /** See Store.update. */
  update(mutate: (draft: T) => void): Promise<boolean> {
    return this.#updates.update(mutate);
  }

  /** See Store.close. */
  close(): Promise<void> {
    return this.#updates.close();
  }
}
