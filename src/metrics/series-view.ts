// The answer of GET /api/services/:name/series: the rings' columns over a range, each version's
// share of the traffic, the analysis thresholds, and the rollout's step changes and verdicts as
// marks read from the event log. Pure.
import type { DsrEvent } from '../events/types.js';
import type { AnalysisSpec } from '../manifest/service-spec.js';
import { BUCKETS, BUCKET_MS, bucketTimes, type SeriesStore, type VersionColumns } from './series.js';

/** Longest range served: the rings hold one hour. */
export const MAX_RANGE_MS = BUCKETS * BUCKET_MS;

/** One point in time worth a vertical line on a chart. */
export interface Mark {
  /** Milliseconds since the epoch. */
  at: number;
  eventId: number;
  kind: string;
  /** Short text for the chart, e.g. "25%", "pass", "aborted". */
  label: string;
  version: string | null;
  /** For analysis verdicts. */
  result?: 'pass' | 'fail' | 'inconclusive';
  message: string;
}

export interface VersionSeries extends VersionColumns {
  /** errors / requests per bucket; null for a bucket without requests. */
  errorRate: Array<number | null>;
  /** This version's part of the bucket's routed requests (0..1); null when nothing was routed. */
  share: Array<number | null>;
}

export interface SeriesView {
  service: string;
  bucketMs: number;
  /** Bucket starts (ms), oldest first; every column below has one entry per time. */
  times: number[];
  /** Requests that reached no version (503 no healthy instance) live under version ''. */
  versions: VersionSeries[];
  thresholds: { maxErrorRate: number; maxLatencyP99Ms: number; minRequests: number } | null;
  marks: Mark[];
}

/** Kinds that become marks, with their short label. */
const MARK_LABELS: Record<string, (e: DsrEvent) => string> = {
  'rollout.started': () => 'start',
  'rollout.replaced': () => 'replaced',
  'rollout.retried': () => 'retry',
  'rollout.weight': (e) => `${num(e.data.to)}%`,
  'rollout.paused': () => 'paused',
  'rollout.resumed': () => 'resumed',
  'rollout.promoted': () => 'promoted',
  'rollout.aborted': () => 'aborted',
  'rollout.completed': () => 'completed',
  'rollout.reverted': () => 'reverted',
  'rollout.cancelled': () => 'cancelled',
  'analysis.pass': () => 'pass',
  'analysis.fail': () => 'fail',
  'analysis.inconclusive': () => 'inconclusive',
};

/** Whether events of this kind become marks. */
export function isMarkKind(kind: string): boolean {
  return kind in MARK_LABELS;
}

function num(x: unknown): string {
  return typeof x === 'number' ? String(x) : '?';
}

/** The rollout and analysis events of [fromMs, toMs] as marks, oldest first. */
export function marksFromEvents(events: readonly DsrEvent[], fromMs: number, toMs: number): Mark[] {
  const marks: Mark[] = [];
  for (const e of events) {
    const label = MARK_LABELS[e.kind];
    const at = Date.parse(e.time);
    if (!label || !(at >= fromMs && at <= toMs)) continue;
    const mark: Mark = { at, eventId: e.id, kind: e.kind, label: label(e), version: e.version, message: e.message };
    if (e.kind.startsWith('analysis.')) mark.result = e.kind.slice('analysis.'.length) as Mark['result'];
    marks.push(mark);
  }
  return marks.sort((a, b) => a.at - b.at || a.eventId - b.eventId);
}

/**
 * Adds error rates and traffic shares to the columns. Example: in one bucket v1 took 90 requests
 * (9 errors) and v2 10: v1 { errorRate 0.1, share 0.9 }, v2 { share 0.1 }. Version '' (unrouted)
 * gets an error rate but no share: it is not a version the gateway chose.
 */
export function withShares(columns: readonly VersionColumns[]): VersionSeries[] {
  const length = columns[0]?.requests.length ?? 0;
  const routed = Array.from({ length }, (_, i) => columns.reduce((n, c) => n + (c.version === '' ? 0 : c.requests[i]!), 0));
  return columns.map((c) => ({
    ...c,
    errorRate: c.requests.map((r, i) => (r > 0 ? c.errors[i]! / r : null)),
    share: c.requests.map((r, i) => (c.version === '' || routed[i] === 0 ? null : r / routed[i]!)),
  }));
}

/** Builds the whole answer for `service` over the `rangeMs` ending at `nowMs` (the current, unfinished bucket excluded). */
export function seriesView(input: { service: string; store: SeriesStore; nowMs: number; rangeMs: number; events: readonly DsrEvent[]; analysis: AnalysisSpec | null }): SeriesView {
  const to = Math.floor(input.nowMs / BUCKET_MS) * BUCKET_MS;
  const from = to - Math.min(input.rangeMs, MAX_RANGE_MS);
  const times = bucketTimes(from, to);
  const a = input.analysis;
  return {
    service: input.service,
    bucketMs: BUCKET_MS,
    times,
    versions: withShares(input.store.read(input.service, times)),
    thresholds: a ? { maxErrorRate: a.maxErrorRate, maxLatencyP99Ms: a.maxLatencyP99Ms, minRequests: a.minRequests } : null,
    marks: marksFromEvents(input.events, from, input.nowMs),
  };
}
