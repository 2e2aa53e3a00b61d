// When to judge the canary, and what a verdict does to the rollout.
import { judge } from './analysis.js';
import type { Pass } from './pass.js';
import { abort, emit } from './pass.js';
import type { Verdict } from './types.js';

/** Verdicts kept in the status. */
export const VERDICT_HISTORY = 20;

/** Whether the canary is being judged: it takes traffic and the steps are not all done. */
export function analysing(pass: Pass): boolean {
  const s = pass.status;
  return s.phase !== 'Aborted' && s.weight > 0 && s.stepIndex < pass.spec.steps.length;
}

/**
 * Judges the window since the last check when an interval has passed: records the verdict,
 * counts a failure, and aborts at `failureLimit` failures (counted over the whole rollout, as
 * Argo Rollouts' failureLimit).
 */
export function runAnalysis(pass: Pass): void {
  if (!analysing(pass)) return;
  const { status: s, spec, input } = pass;
  const a = spec.analysis;
  const from = s.analysis.lastCheckAt;
  if (input.now < from + a.intervalMs) return;
  const canary = input.sample(s.canary.id, from, input.now);
  const stable = a.compareToStable ? input.sample(pass.stable.id, from, input.now) : null;
  const j = judge(a, canary, stable);
  const verdict: Verdict = { at: input.now, ...j };
  s.analysis.lastCheckAt = input.now;
  s.analysis.history = [...s.analysis.history, verdict].slice(-VERDICT_HISTORY);
  if (j.result === 'fail') s.analysis.failures += 1;
  emit(pass, `analysis.${j.result}`, `analysis of ${s.canary.id} at ${s.weight}%: ${j.result}: ${j.reason}`, {
    result: j.result,
    reason: j.reason,
    requests: canary.requests,
    errors: canary.errors,
    errorRate: j.errorRate,
    latencyP99Ms: j.latencyP99Ms,
    fromMs: from,
    toMs: input.now,
    weight: s.weight,
    step: s.stepIndex,
    failures: s.analysis.failures,
    failureLimit: a.failureLimit,
    stable: stable ? { version: pass.stable.id, ...stable } : null,
  });
  if (j.result === 'fail' && s.analysis.failures >= a.failureLimit) {
    abort(pass, `analysis failed ${s.analysis.failures} of ${a.failureLimit} allowed checks: ${j.reason}`);
  }
}

/** The verdicts recorded since `t` (exclusive), newest last. */
export function verdictsSince(pass: Pass, t: number): Verdict[] {
  return pass.status.analysis.history.filter((v) => v.at > t);
}
