// Canary analysis verdicts (SPEC §1 `rollout.analysis`): pure arithmetic over one window of the
// gateway's own metrics. The machine decides when to judge and what a verdict does.
import type { AnalysisSpec } from '../manifest/service-spec.js';
import type { Verdict, WindowSample } from './types.js';

/** A verdict without its time. */
export type Judgement = Omit<Verdict, 'at'>;

interface Breach {
  metric: 'error rate' | 'p99 latency';
  text: string;
  /** The stable's value of the same metric, when it is at least as bad (the failure is shared). */
  stableAlike: string | null;
}

/**
 * Judges the canary's window against the thresholds. Fewer than `minRequests` is inconclusive,
 * never a pass. A breached metric is excused when `stable` (pass it only with
 * `compareToStable`) carried at least `minRequests` in the same window and is at least as bad:
 * a shared database down must not blame the canary.
 *
 * With maxErrorRate 0.05, maxLatencyP99Ms 500, minRequests 20:
 *   { requests: 3 }                               → inconclusive "waiting for traffic: 3 of 20 requests"
 *   { requests: 50, errors: 1, p99: 120 }         → pass (error rate 2.0%)
 *   { requests: 50, errors: 6, p99: 120 }         → fail "error rate 12.0% > 5.0% (6 of 50 requests)"
 *   same, stable { requests: 40, errors: 8 }      → pass, stable 20.0% fails alike
 *   same, stable { requests: 10, errors: 8 }      → fail: 10 stable requests prove nothing
 */
export function judge(spec: AnalysisSpec, canary: WindowSample, stable: WindowSample | null): Judgement {
  const errorRate = canary.requests > 0 ? canary.errors / canary.requests : null;
  const latencyP99Ms = canary.latencyP99Ms;
  const base = { requests: canary.requests, errorRate, latencyP99Ms };
  if (canary.requests < spec.minRequests) {
    return { ...base, result: 'inconclusive', reason: `waiting for traffic: ${canary.requests} of ${spec.minRequests} requests` };
  }
  const comparable = stable !== null && stable.requests >= spec.minRequests && stable.requests > 0 ? stable : null;
  const breaches: Breach[] = [];
  if (errorRate !== null && errorRate > spec.maxErrorRate) {
    const stableRate = comparable ? comparable.errors / comparable.requests : null;
    breaches.push({
      metric: 'error rate',
      text: `error rate ${percent(errorRate)} > ${percent(spec.maxErrorRate)} (${canary.errors} of ${canary.requests} requests)`,
      stableAlike: stableRate !== null && stableRate >= errorRate ? percent(stableRate) : null,
    });
  }
  if (latencyP99Ms !== null && latencyP99Ms > spec.maxLatencyP99Ms) {
    const stableP99 = comparable?.latencyP99Ms ?? null;
    breaches.push({
      metric: 'p99 latency',
      text: `p99 latency ${millis(latencyP99Ms)} > ${millis(spec.maxLatencyP99Ms)}`,
      stableAlike: stableP99 !== null && stableP99 >= latencyP99Ms ? millis(stableP99) : null,
    });
  }
  const blamed = breaches.filter((b) => b.stableAlike === null);
  if (blamed.length > 0) return { ...base, result: 'fail', reason: blamed.map((b) => b.text).join('; ') };
  const healthy = `${describe(errorRate, latencyP99Ms)} over ${canary.requests} requests`;
  if (breaches.length === 0) return { ...base, result: 'pass', reason: healthy };
  const shared = breaches.map((b) => `${b.text}, stable fails alike (${b.metric} ${b.stableAlike})`).join('; ');
  return { ...base, result: 'pass', reason: `${shared}: not the canary's fault` };
}

function describe(errorRate: number | null, p99: number | null): string {
  const rate = `error rate ${errorRate === null ? 'n/a' : percent(errorRate)}`;
  return p99 === null ? rate : `${rate}, p99 ${millis(p99)}`;
}

/** 0.123 → "12.3%". */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** 512.4 → "512ms". */
function millis(ms: number): string {
  return `${Math.round(ms)}ms`;
}
