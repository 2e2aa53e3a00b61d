// GET /api/services/:name/series?range=15m: the chart series of one service (src/metrics/).
import type { RequestHandler } from 'express';
import type { EventLog } from '../events/types.js';
import type { AnalysisSpec } from '../manifest/desired.js';
import type { SeriesStore } from '../metrics/series.js';
import { MAX_RANGE_MS, seriesView } from '../metrics/series-view.js';
import { ParamError, SCAN_BUDGET, stringParam } from './event-params.js';

export interface SeriesSource {
  store: SeriesStore;
  /** The analysis thresholds of a declared service (null: none declared, or no such service). */
  analysis: (service: string) => AnalysisSpec | null;
  /** Whether DSR knows the service (declared or running). */
  known: (service: string) => boolean;
  now?: () => number;
}

/** Marks come from the newest events of these kinds; an hour of a rollout checked every 10 s is ~360 verdicts. */
const MARK_EVENTS_PER_KIND = 1000;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Parses ?range: "15m" → 900000; 5s..1h; default 15 minutes. */
export function parseRange(raw: string | undefined): number {
  if (raw === undefined) return 15 * 60_000;
  const m = /^(\d{1,4})(s|m|h)$/.exec(raw);
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ms >= 5000 && ms <= MAX_RANGE_MS)) throw new ParamError(`range must be a duration from 5s to 1h such as 15m, got ${JSON.stringify(raw)}`);
  return ms;
}

/** The route handler. */
export function seriesHandler(events: EventLog, source: SeriesSource): RequestHandler<{ name: string }> {
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
    // Bounded scans: a service with few marks must not make every chart refresh read the whole
    // log. A mark further back than the newest SCAN_BUDGET events is simply not drawn.
    const [rollout, analysis] = await Promise.all([
      events.scan({ service: name, kind: 'rollout.', limit: MARK_EVENTS_PER_KIND }, SCAN_BUDGET),
      events.scan({ service: name, kind: 'analysis.', limit: MARK_EVENTS_PER_KIND }, SCAN_BUDGET),
    ]);
    const nowMs = (source.now ?? Date.now)();
    res.json(seriesView({ service: name, store: source.store, nowMs, rangeMs, events: [...rollout.events, ...analysis.events], analysis: source.analysis(name) }));
  };
}
