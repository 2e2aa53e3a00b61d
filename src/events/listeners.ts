// Fan-out to subscribers, shared by both event log implementations.
import type { DsrEvent } from './types.js';

/** A set of event listeners; one that throws is reported through `warn` and the others still run. */
export class Listeners {
  readonly #listeners = new Set<(e: DsrEvent) => void>();
  readonly #warn: (message: string) => void;

  constructor(warn: (message: string) => void) {
    this.#warn = warn;
  }

  /** Adds `listener` and returns the function that removes it (safe to call twice). */
  add(listener: (e: DsrEvent) => void): () => void {
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (e: DsrEvent): void => listener(e);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Calls every listener with `e`. A listener's failure must not fail the append that caused it. */
  emit(e: DsrEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(e);
      } catch (err) {
        this.#warn(`event log: a subscriber failed on event ${e.id} (${e.kind}): ${String(err)}`);
      }
    }
  }

  /** Removes every listener (on close). */
  clear(): void {
    this.#listeners.clear();
  }
}
