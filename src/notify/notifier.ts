// A channel that delivers alerts (email, webhook). Retries, back-off and queueing are the
// Alerter's job (channel-queue.ts), so an implementation only makes one attempt per call.
import type { Alert } from './alert.js';

/** Delivers alerts to one channel. */
export interface Notifier {
  /** Short channel name for log lines, e.g. `email`, `webhook`. */
  readonly name: string;
  /** Makes one delivery attempt; rejects with a message saying why it failed. */
  send(alert: Alert): Promise<void>;
  /** Releases connections on shutdown. */
  close?(): void;
}
