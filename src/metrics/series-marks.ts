// The rollout and analysis events of the last hour, per service, kept in memory for the charts'
// marks, so GET /api/services/:name/series never scans the event log (a service with few rollout
// events would make every query read every log file). Pure; the API feeds it from the log's
// subscription after seeding it with one query.
import type { DsrEvent } from '../events/types.js';
import { isMarkKind } from './series-view.js';

/** Most marks kept per service: an analysis every second for an hour, plus the steps. */
export const MAX_MARKS_PER_SERVICE = 4000;

/** Marked events by service, oldest first, each list bounded by count and by age. */
export class MarkEvents {
  private readonly byService = new Map<string, DsrEvent[]>();

  constructor(private readonly keepMs: number) {}

  /** Adds events (any order, duplicates ignored); others than rollout.* / analysis.* are skipped. */
  add(events: readonly DsrEvent[], nowMs: number): void {
    for (const e of [...events].sort((a, b) => a.id - b.id)) {
      if (!e.service || !isMarkKind(e.kind)) continue;
      const list = this.byService.get(e.service) ?? [];
      if (list.length > 0 && list.at(-1)!.id >= e.id) continue;
      list.push(e);
      if (list.length > MAX_MARKS_PER_SERVICE) list.splice(0, list.length - MAX_MARKS_PER_SERVICE);
      this.byService.set(e.service, list);
    }
    this.prune(nowMs);
  }

  /** The kept events of `service`, oldest first. */
  of(service: string): readonly DsrEvent[] {
    return this.byService.get(service) ?? [];
  }

  private prune(nowMs: number): void {
    const horizon = nowMs - this.keepMs;
    for (const [service, list] of this.byService) {
      const keep = list.findIndex((e) => Date.parse(e.time) >= horizon);
      if (keep === -1) this.byService.delete(service);
      else if (keep > 0) list.splice(0, keep);
    }
  }
}
