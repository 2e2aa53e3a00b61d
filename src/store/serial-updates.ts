// The update semantics both stores share: copy, mutate, compare, persist, commit; one at a time.
import { isDeepStrictEqual } from 'node:util';
import { StoreError } from './errors.js';

/** Persists a new state; the in-memory state only changes once this resolves. */
export type Persist<T> = (next: T) => Promise<void>;

/**
 * Runs Store.update calls one after another against a deep-frozen current state. Persisting
 * before committing means a failed write leaves memory and disk agreeing on the old state.
 */
export class SerialUpdates<T> {
  #current: T;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #persist: Persist<T>;
  readonly #name: string;

  /** `name` identifies the store in errors (a file path, or "memory store"). */
  constructor(initial: T, persist: Persist<T>, name: string) {
    this.#current = deepFreeze(structuredClone(initial));
    this.#persist = persist;
    this.#name = name;
  }

  /** The current, deep-frozen state. */
  read(): T {
    return this.#current;
  }

  /** See Store.update. */
  update(mutate: (draft: T) => void): Promise<boolean> {
    if (this.#closed) return Promise.reject(new StoreError(`update ${this.#name}: the store is closed`));
    const done = this.#queue.then(() => this.#apply(mutate));
    this.#queue = done.catch(() => undefined);
    return done;
  }

  /** Waits for queued updates and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }

  async #apply(mutate: (draft: T) => void): Promise<boolean> {
    const draft = structuredClone(this.#current);
    mutate(draft);
    if (isDeepStrictEqual(draft, this.#current)) return false;
    try {
      await this.#persist(draft);
    } catch (cause) {
      throw new StoreError(`write ${this.#name}`, { cause });
    }
    this.#current = deepFreeze(draft);
    return true;
  }
}

/** Freezes `value` and everything reachable from it, so an accidental write to `read()` throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
