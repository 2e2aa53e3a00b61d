// One channel's delivery queue. Alerts go out one at a time, in order; a failed attempt is retried
// with back-off (retry.ts) and the alert is dropped, with a log line, once its attempts are used
// up. The queue is bounded so a channel that hangs for hours cannot pile up memory: the oldest
// waiting alert is dropped first, again with a log line. Nothing here ever throws at the caller.
import type { Alert } from './alert.js';
import type { Notifier } from './notifier.js';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from './retry.js';

/** Options of a ChannelQueue. */
export interface ChannelQueueOptions {
  retry?: RetryPolicy;
  /** Alerts waiting behind the one in flight, at most. */
  limit?: number;
  /** An attempt that has not settled after this long counts as failed (a hung SMTP server). */
  attemptTimeoutMs?: number;
  log: (message: string) => void;
}

/** Delivers alerts to one notifier, in order, retrying with back-off. */
export class ChannelQueue {
  readonly #notifier: Notifier;
  readonly #retry: RetryPolicy;
  readonly #limit: number;
  readonly #attemptTimeoutMs: number;
  readonly #log: (message: string) => void;
  readonly #waiting: Alert[] = [];
  #running = false;
  #closed = false;
  #wake: (() => void) | null = null;
  #cancel: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #idle: Array<() => void> = [];

  constructor(notifier: Notifier, options: ChannelQueueOptions) {
    this.#notifier = notifier;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#limit = options.limit ?? 100;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
    this.#log = options.log;
  }

  /** Alerts waiting (not counting the one being delivered). */
  get size(): number {
    return this.#waiting.length;
  }

  /** Queues `alert` and returns at once; delivery starts on a later turn of the event loop. */
  push(alert: Alert): void {
    if (this.#closed) return;
    if (this.#waiting.length >= this.#limit) {
      const dropped = this.#waiting.shift()!;
      this.#log(`alerts: ${this.#notifier.name}: queue full (${this.#limit} waiting); dropped the oldest alert "${dropped.subject}"`);
    }
    this.#waiting.push(alert);
    if (!this.#running) {
      this.#running = true;
      // setImmediate, not a direct call: even the synchronous part of a send must not run inside
      // the event log's subscriber callback.
      setImmediate(() => void this.#drain());
    }
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops retrying and drops what is waiting; an attempt in flight is abandoned (its socket times out on its own). */
  close(): void {
    this.#closed = true;
    if (this.#waiting.length > 0) this.#log(`alerts: ${this.#notifier.name}: ${this.#waiting.length} alert(s) not delivered at shutdown`);
    this.#waiting.length = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    this.#cancel?.();
  }

  async #drain(): Promise<void> {
    while (!this.#closed && this.#waiting.length > 0) await this.#deliver(this.#waiting.shift()!);
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #deliver(alert: Alert): Promise<void> {
    const name = this.#notifier.name;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#attempt(alert);
        if (attempt > 1) this.#log(`alerts: ${name}: delivered "${alert.subject}" on attempt ${attempt}`);
        return;
      } catch (error) {
        const reason = (error as Error).message;
        const delay = retryDelay(attempt, this.#retry);
        if (delay === null || this.#closed) {
          this.#log(`alerts: ${name}: dropped "${alert.subject}" after ${attempt} failed attempt(s): ${reason}`);
          return;
        }
        this.#log(`alerts: ${name}: sending "${alert.subject}" failed (attempt ${attempt}/${this.#retry.maxAttempts}): ${reason}; retrying in ${Math.round(delay / 100) / 10} s`);
        await this.#sleep(delay);
        if (this.#closed) {
          this.#log(`alerts: ${name}: dropped "${alert.subject}" at shutdown, before attempt ${attempt + 1}`);
          return;
        }
      }
    }
  }

  async #attempt(alert: Alert): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#attemptTimeoutMs / 1000} s`)), this.#attemptTimeoutMs);
      this.#cancel = () => reject(new Error('shutting down'));
    });
    try {
      await Promise.race([this.#notifier.send(alert), timeout]);
    } finally {
      clearTimeout(timer);
      this.#cancel = null;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      // close() clears it, so a pending retry does not hold a stopping process.
      this.#timer = setTimeout(resolve, ms);
    });
  }
}
