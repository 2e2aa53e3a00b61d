// GET /api/services/:name/series?range=15m: the chart series of one service (src/metrics/).
import type { RequestHandler } from 'express';
import type { DsrEvent, EventLog } from '../events/types.js';
import type { AnalysisSpec } from '../manifest/service-spec.js';
import type { SeriesStore } from '../metrics/series.js';
import { MarkEvents } from '../metrics/series-marks.js';
import { MAX_RANGE_MS, isMarkKind, seriesView } from '../metrics/series-view.js';
import { ParamError, SCAN_BUDGET, stringParam } from './event-params.js';

export interface SeriesSource {
  store: SeriesStore;
  /** The analysis thresholds of a declared service (null: none declared, or no such service). */
  analysis: (service: string) => AnalysisSpec | null;
  /** Whether DSR knows the service (declared or running). */
  known: (service: string) => boolean;
  now?: () => number;
}

/** The seed of the marks: the newest events of each marked family when the first request comes. */
const SEED_EVENTS_PER_KIND = 5000;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Parses ?range: "15m" → 900000; 5s..1h; default 15 minutes. */
export function parseRange(raw: string | undefined): number {
  if (raw === undefined) return 15 * 60_000;
  const m = /^(\d{1,4})(s|m|h)$/.exec(raw);
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ms >= 5000 && ms <= MAX_RANGE_MS)) throw new ParamError(`range must be a duration from 5s to 1h such as 15m, got ${JSON.stringify(raw)}`);
  return ms;
}

/**
 * The route handler. Marks come from memory (MarkEvents), fed by the log's subscription and
 * seeded once, when the handler is made, with the newest rollout.* and analysis.* events.
 */
export function seriesHandler(events: EventLog, source: SeriesSource): RequestHandler<{ name: string }> {
  const now = source.now ?? Date.now;
  const marks = new MarkEvents(MAX_RANGE_MS);
  // Events appended while the seed query runs wait here, then follow the seed in id order.
  let live: DsrEvent[] | null = [];
  events.subscribe((e) => {
    if (!isMarkKind(e.kind)) return;
    if (live) live.push(e);
    else marks.add([e], now());
  });
  const seeded = (async () => {
    // Bounded: marks older than the newest SCAN_BUDGET events of the log are not drawn.
    const [rollout, analysis] = await Promise.all([
      events.scan({ kind: 'rollout.', limit: SEED_EVENTS_PER_KIND }, SCAN_BUDGET),
      events.scan({ kind: 'analysis.', limit: SEED_EVENTS_PER_KIND }, SCAN_BUDGET),
    ]);
    marks.add([...rollout.events, ...analysis.events], now());
  })().catch(() => {
    // A log that cannot be read now only costs the marks of the past; live ones still come.
  }).finally(() => {
    const pending = live ?? [];
    live = null;
    marks.add(pending, now());
  });
  return async (req, res) => {
    const name = req.params.name;
    let rangeMs: number;
    try {
      rangeMs = parseRange(stringParam(req.query, 'range'));
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
      return;
    }
    if (!source.known(name)) {
      res.status(404).json({ error: `no service named ${JSON.stringify(name)}; GET /api/services lists them` });
      return;
    }
    await seeded;
    res.json(seriesView({ service: name, store: source.store, nowMs: now(), rangeMs, events: marks.of(name), analysis: source.analysis(name) }));
  };
}
