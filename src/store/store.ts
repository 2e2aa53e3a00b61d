// Small mutable state (rollout progress, applied revisions) behind one interface (SPEC §5):
// LowdbStore on disk, MemoryStore for tests; both pass test/contract/store.contract.ts.

/** A document of type T, read from memory and written whole, only when it changed. */
export interface Store<T> {
  /** The current state. Deep-frozen: change it only through `update`. */
  read(): T;
  /**
   * Applies `mutate` to a copy of the state and, if the result differs (deep comparison), makes
   * it current and persists it. Resolves to whether it wrote. Updates run one at a time, in call
   * order; if `mutate` throws or the write fails, the state is unchanged and the promise rejects.
   */
  update(mutate: (draft: T) => void): Promise<boolean>;
  /** Waits for pending updates; later updates reject. */
  close(): Promise<void>;
}
