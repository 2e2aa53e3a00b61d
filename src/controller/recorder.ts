// Recording events for the controller: a failing event log is reported on the log line but never
// stops reconciliation, and a condition seen every pass is recorded once.
import type { EventLog, NewEvent } from '../events/types.js';

/** Appends the controller's events. */
export class Recorder {
  private readonly reported = new Set<string>();

  constructor(
    private readonly events: EventLog,
    private readonly log: (message: string) => void,
  ) {}

  /** Records an event; never throws. */
  async record(event: NewEvent): Promise<void> {
    try {
      await this.events.append(event);
    } catch (error) {
      this.log(`could not record event ${event.kind}: ${(error as Error).message}`);
    }
  }

  /** Records an event once per distinct key, so a condition seen every pass is reported once. */
  async reportOnce(key: string, event: NewEvent): Promise<void> {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    // Bounded: forgetting everything only means some conditions are reported once more.
    if (this.reported.size > 10_000) this.reported.clear();
    await this.record(event);
  }
}
