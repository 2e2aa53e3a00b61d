// When to judge the canary, and what a verdict does to the rollout.
//
// A check judges the window since the last conclusive verdict (or since the weight was applied),
// not since the last check: an inconclusive check keeps its window open, so at 1.6 requests/s a
// 5 s interval with minRequests 10 judges 8 requests at the first check (inconclusive) and 16 at
// the second (a verdict). Every verdict is made on at least minRequests requests.
import { judge } from './analysis.js';
import type { Pass } from './pass.js';
import { abort, emit, seconds, stepLabel } from './pass.js';
import type { RolloutStatus, Verdict } from './types.js';

/** Verdicts kept in the status. */
export const VERDICT_HISTORY = 20;

/**
 * The longest window a check judges. The gateway keeps 10 minutes of per-second metrics
 * (src/gateway/metrics.ts RING_SECONDS, a test keeps the two in step); a window open longer is
 * judged on its last 10 minutes, and the reason says so.
 */
export const MAX_WINDOW_MS = 600_000;
const CLIPPED = `judged on the last ${seconds(MAX_WINDOW_MS)}: older traffic is not kept`;

/** Whether the canary is being judged: it takes traffic and the steps are not all done. */
export function analysing(pass: Pass): boolean {
  const s = pass.status;
  return s.phase !== 'Aborted' && s.weight > 0 && s.stepIndex < pass.spec.steps.length;
}

/** When the open analysis window began (a state saved by an older DSR has no `windowFrom`). */
export function windowOpenedAt(s: RolloutStatus): number {
  return s.analysis.windowFrom ?? s.analysis.lastCheckAt;
}

/**
 * Judges the open window when an interval has passed since the last check: records the verdict,
 * counts a failure, and aborts at `failureLimit` failures (counted over the whole rollout, as
 * Argo Rollouts' failureLimit). An inconclusive check leaves the window open; the first one of a
 * step's wait is announced by one `analysis.inconclusive` event, later ones only update the
 * status. With `inconclusiveDeadline`, a step still waiting that long after its window opened
 * aborts.
 */
export function runAnalysis(pass: Pass): void {
  if (!analysing(pass)) return;
  const { status: s, spec, input } = pass;
  const a = spec.analysis;
  if (input.now < s.analysis.lastCheckAt + a.intervalMs) return;
  const opened = windowOpenedAt(s);
  const from = Math.max(opened, input.now - MAX_WINDOW_MS);
  const canary = input.sample(s.canary.id, from, input.now);
  const stable = a.compareToStable ? input.sample(pass.stable.id, from, input.now) : null;
  const j = judge(a, canary, stable);
  const waiting = j.result === 'inconclusive';
  const clipped = from > opened;
  const reason = waiting
    ? waitingReason(a.minRequests, s.canary.id, canary.requests, input.now - from, clipped)
    : `${j.reason}${clipped ? ` (${CLIPPED})` : ''}`;
  const verdict: Verdict = { at: input.now, ...j, reason };
  const previous = s.analysis.history.at(-1);
  // The inconclusive verdict of this same window is superseded: one verdict per window.
  const sameWindow = previous !== undefined && previous.result === 'inconclusive' && previous.at > opened;
  const announced = sameWindow && previous.at > s.stepStartedAt;
  s.analysis.lastCheckAt = input.now;
  s.analysis.windowFrom = waiting ? opened : input.now;
  s.analysis.history = [...(sameWindow ? s.analysis.history.slice(0, -1) : s.analysis.history), verdict].slice(-VERDICT_HISTORY);
  if (j.result === 'fail') s.analysis.failures += 1;
  const waits = waitsForTraffic(pass);
  if (!waiting || (waits && !announced)) {
    emit(pass, `analysis.${j.result}`, `analysis of ${s.canary.id} at ${s.weight}%: ${j.result}: ${reason}`, {
      result: j.result,
      reason,
      requests: canary.requests,
      errors: canary.errors,
      errorRate: j.errorRate,
      latencyP99Ms: j.latencyP99Ms,
      minRequests: a.minRequests,
      fromMs: from,
      toMs: input.now,
      weight: s.weight,
      step: s.stepIndex,
      failures: s.analysis.failures,
      failureLimit: a.failureLimit,
      stable: stable ? { version: pass.stable.id, ...stable } : null,
    });
  }
  if (j.result === 'fail' && s.analysis.failures >= a.failureLimit) {
    abort(pass, `analysis failed ${s.analysis.failures} of ${a.failureLimit} allowed checks: ${reason}`);
    return;
  }
  const deadline = a.inconclusiveDeadlineMs;
  if (waiting && waits && deadline !== null && input.now - opened >= deadline) {
    abort(pass, `${stepLabel(spec, s.stepIndex)} waited ${seconds(input.now - opened)} for traffic (inconclusiveDeadline ${seconds(deadline)}): ${reason}`);
  }
}

/**
 * Whether the current step holds until a check passes (a setWeight not promoted, not paused by a
 * user): only then is an inconclusive check a wait worth announcing, or aborting.
 */
function waitsForTraffic(pass: Pass): boolean {
  const s = pass.status;
  const step = pass.spec.steps[s.stepIndex];
  return step?.kind === 'setWeight' && step.weight === s.weight && s.promotedStep !== s.stepIndex && !s.pausedByUser;
}

/**
 * What a step waiting for traffic tells the user.
 *   (10, 'v2', 8, 5000, false)    → "waiting for traffic: needs ≥ 10 requests to v2 in a window; seen 8 in the last 5s"
 *   (20, 'v2', 3, 600000, true)   → "…; seen 3 in the last 600s, the longest window judged: a verdict needs more traffic than this"
 */
export function waitingReason(minRequests: number, version: string, seen: number, windowMs: number, clipped: boolean): string {
  const note = clipped ? ', the longest window judged: a verdict needs more traffic than this' : '';
  return `waiting for traffic: needs ≥ ${minRequests} requests to ${version} in a window; seen ${seen} in the last ${seconds(windowMs)}${note}`;
}

/** The verdicts recorded since `t` (exclusive), newest last. */
export function verdictsSince(pass: Pass, t: number): Verdict[] {
  return pass.status.analysis.history.filter((v) => v.at > t);
}
