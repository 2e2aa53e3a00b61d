// The bearer guard's memory of failed attempts, per client address. Pure: time is passed in.
//
// It decides only how wrong attempts are answered; a correct token is checked first and always
// works, so anyone sharing the operator's address (everyone on 127.0.0.1) cannot lock the
// operator out by failing on purpose. The table is bounded (least recently failed addresses are
// evicted first) and forgets an address once its window has passed, so a flood of addresses
// cannot grow it without limit.

export interface FailureTableOptions {
  /** Wrong attempts per window answered 401; beyond them, 429 (slowed down). */
  allowed: number;
  /** How long an address's failures are remembered, counted from its first failure in the window. */
  windowMs: number;
  /** Addresses remembered at most; the least recently failed one is forgotten first. */
  maxEntries: number;
}

/** What to answer a wrong attempt: 401 while under the allowance, else 429 with Retry-After. */
export type FailureVerdict = { status: 401; failures: number } | { status: 429; failures: number; retryAfterMs: number };

interface Entry {
  count: number;
  since: number;
}

/**
 * Failed attempts per address in a fixed window. Example (allowed 10, window 60 s): failures 1..10
 * at t=0..9 s → 401; the 11th at t=10 s → 429, retry after 50 s; a failure at t=61 s → 401 (count 1).
 */
export class FailureTable {
  readonly #entries = new Map<string, Entry>();
  readonly #opts: FailureTableOptions;

  constructor(options: FailureTableOptions) {
    for (const key of ['allowed', 'windowMs', 'maxEntries'] as const) {
      if (!Number.isSafeInteger(options[key]) || options[key] < 1) throw new RangeError(`failure table: ${key} must be a positive integer, got ${String(options[key])}`);
    }
    this.#opts = options;
  }

  /** Records one wrong attempt from `client` at `now` and says how to answer it. */
  fail(client: string, now: number): FailureVerdict {
    this.#forgetExpired(now);
    const current = this.#entries.get(client);
    const entry = current && now - current.since < this.#opts.windowMs ? current : { count: 0, since: now };
    entry.count++;
    // Re-inserting moves the address to the newest end of the Map's insertion order (the LRU order).
    this.#entries.delete(client);
    this.#entries.set(client, entry);
    while (this.#entries.size > this.#opts.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    if (entry.count <= this.#opts.allowed) return { status: 401, failures: entry.count };
    return { status: 429, failures: entry.count, retryAfterMs: entry.since + this.#opts.windowMs - now };
  }

  /** Failures remembered for `client` at `now` (0 once its window has passed). */
  failures(client: string, now: number): number {
    const entry = this.#entries.get(client);
    return entry && now - entry.since < this.#opts.windowMs ? entry.count : 0;
  }

  /** Addresses remembered (expired ones included until the next failure sweeps them). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Drops expired entries from the old end. Windows start at an address's first failure, so the
   * Map's order is only roughly by `since`; the sweep stops at the first live entry, which keeps
   * each call O(expired) and leaves stragglers to the size cap or a later sweep.
   */
  #forgetExpired(now: number): void {
    for (const [client, entry] of this.#entries) {
      if (now - entry.since < this.#opts.windowMs) return;
      this.#entries.delete(client);
    }
  }
}
