// The alerting shell: follows the event log, turns events into alerts (alerts.ts) and hands each
// alert to every channel's queue (channel-queue.ts). The subscriber callback does only in-memory
// work and returns at once, so a slow or dead channel never delays an append, and through it
// reconciliation. Delivery failures are log lines, not DSR events: an event about a failed alert
// could itself match an alert rule one day and loop; a log line cannot.
import type { DsrEvent, EventLog } from '../events/types.js';
import type { Alert } from './alert.js';
import { DEFAULT_ALERT_POLICY, initialAlertState, nextDueAt, onEvent, tick, type AlertPolicy, type AlertStep } from './alerts.js';
import { ChannelQueue } from './channel-queue.js';
import type { Notifier } from './notifier.js';
import type { RetryPolicy } from './retry.js';

/** What an Alerter needs; only `events`, `notifiers` and `log` are required. */
export interface AlerterOptions {
  events: EventLog;
  notifiers: readonly Notifier[];
  log: (message: string) => void;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  policy?: AlertPolicy;
  retry?: RetryPolicy;
  /** Alerts waiting per channel, at most (the oldest is dropped first). */
  queueLimit?: number;
  /** One delivery attempt that takes longer than this counts as failed. */
  attemptTimeoutMs?: number;
}

/** Sends an alert to every channel for each incident the event log shows. */
export class Alerter {
  readonly #options: AlerterOptions;
  readonly #clock: () => number;
  readonly #policy: AlertPolicy;
  readonly #queues: ChannelQueue[];
  #state = initialAlertState();
  #unsubscribe: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #timerDue: number | null = null;

  constructor(options: AlerterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#policy = options.policy ?? DEFAULT_ALERT_POLICY;
    this.#queues = options.notifiers.map((n) => new ChannelQueue(n, {
      log: options.log,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.queueLimit !== undefined ? { limit: options.queueLimit } : {}),
      ...(options.attemptTimeoutMs !== undefined ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
    }));
  }

  /** Follows the event log from now on. Without channels it only says how to turn alerts on. */
  start(): void {
    if (this.#unsubscribe) return;
    if (this.#queues.length === 0) {
      this.#options.log('alerts: off (set DSR_ENABLE_EMAIL=true with DSR_SMTP_HOST, DSR_EMAIL_FROM and DSR_EMAIL_TO, or DSR_WEBHOOK_URL, DSR_SLACK_WEBHOOK_URL, DSR_DISCORD_WEBHOOK_URL, DSR_NTFY_URL)');
      return;
    }
    this.#options.log(`alerts: on, through ${this.#options.notifiers.map((n) => n.name).join(' and ')}`);
    this.#unsubscribe = this.#options.events.subscribe((e) => this.#onEvent(e));
  }

  /** Resolves once every channel has delivered (or dropped) what it was given. */
  async idle(): Promise<void> {
    await Promise.all(this.#queues.map((q) => q.idle()));
  }

  /**
   * Stops following the log, sends the failure groups still being collected, waits up to
   * `graceMs` for the channels, then drops what is left (with a log line) and closes them.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#apply(tick(this.#state, this.#clock(), this.#policy, true));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const q of this.#queues) q.close();
    for (const n of this.#options.notifiers) n.close?.();
  }

  #onEvent(e: DsrEvent): void {
    // Never let alerting fail the append that called us; the log's own guard is a last resort.
    try {
      this.#apply(onEvent(this.#state, e, this.#clock(), this.#policy));
      this.#schedule();
    } catch (error) {
      this.#options.log(`alerts: event ${e.id} (${e.kind}) could not be turned into an alert: ${(error as Error).stack ?? String(error)}`);
    }
  }

  #apply(step: AlertStep): void {
    this.#state = step.state;
    for (const alert of step.alerts) this.#dispatch(alert);
  }

  #dispatch(alert: Alert): void {
    this.#options.log(`alerts: [${alert.severity}] ${alert.subject} (events ${alert.eventIds.map((id) => `#${id}`).join(', ')})`);
    for (const q of this.#queues) q.push(alert);
  }

  /** Keeps one timer at the next time `tick` has something to raise. */
  #schedule(): void {
    const due = nextDueAt(this.#state, this.#policy);
    if (due === this.#timerDue) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerDue = due;
    if (due === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerDue = null;
      try {
        this.#apply(tick(this.#state, this.#clock(), this.#policy));
      } catch (error) {
        this.#options.log(`alerts: raising due alerts failed: ${(error as Error).stack ?? String(error)}`);
      }
      this.#schedule();
    }, Math.max(0, due - this.#clock()));
  }
}
