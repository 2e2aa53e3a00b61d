// Walking `rollout.steps`: a step index advances only when the observed state proves the step
// done (canary instances healthy, weight applied and judged, pause over, or promoted).
import type { RolloutStep } from '../manifest/service-spec.js';
import { verdictsSince } from './check.js';
import type { Pass } from './pass.js';
import { abort, applyWeight, emit, seconds, stepLabel } from './pass.js';

/** Longest wait for requests in flight to the old stable once the canary takes 100%. */
export const DRAIN_TIMEOUT_MS = 30_000;
/** How often to look at in-flight requests while draining. */
export const DRAIN_POLL_MS = 250;
/** How often to look at the canary's health while waiting for it (health changes are not timed). */
export const READY_POLL_MS = 1_000;

/** Why the current step cannot pass yet; `deadline` (absolute) aborts with `deadlineReason`. */
interface Hold {
  reason: string;
  deadline: number | null;
  deadlineReason: string;
  wakeAt: number | null;
}

/** Advances through as many steps as the observed state proves done, then holds or completes. */
export function walkSteps(pass: Pass): void {
  const s = pass.status;
  const steps = pass.spec.steps;
  // Terminates: each turn either returns or increments stepIndex, which stops at steps.length.
  for (;;) {
    const step = steps[s.stepIndex];
    const hold = step ? holdStep(pass, step) : holdFinalising(pass);
    if (hold) {
      settle(pass, hold);
      return;
    }
    if (!step) {
      pass.completed = true;
      return;
    }
    const promoted = s.promotedStep === s.stepIndex;
    emit(pass, 'rollout.step', `${stepLabel(pass.spec, s.stepIndex)} done${promoted ? ' (promoted)' : ''}`, { step: s.stepIndex, promoted });
    s.stepIndex += 1;
    s.stepStartedAt = pass.input.now;
    s.promotedStep = null;
  }
}

function settle(pass: Pass, hold: Hold): void {
  const now = pass.input.now;
  if (hold.deadline !== null && now >= hold.deadline) {
    abort(pass, hold.deadlineReason);
    return;
  }
  pass.summary = `${stepLabel(pass.spec, pass.status.stepIndex)}, ${hold.reason}`;
  if (hold.wakeAt !== null) pass.wakeAt.push(hold.wakeAt);
  if (hold.deadline !== null) pass.wakeAt.push(hold.deadline);
}

function holdStep(pass: Pass, step: RolloutStep): Hold | null {
  const { status: s, input, spec } = pass;
  const promoted = s.promotedStep === s.stepIndex;
  if (s.pausedByUser) return open('paused by user (dsr resume to continue)');
  if (step.kind === 'pause' && !promoted) {
    if (step.durationMs === null) return open(`waiting for \`dsr promote ${input.service.name}\``);
    const end = s.stepStartedAt + step.durationMs;
    if (input.now < end) return { ...open(`${seconds(end - input.now)} left`), wakeAt: end };
  }
  // A timed pause counts its health deadline from its end, so a long pause cannot use it up.
  const anchor = step.kind === 'pause' && step.durationMs !== null && !promoted ? s.stepStartedAt + step.durationMs : s.stepStartedAt;
  const unready = waitForHealthy(pass, anchor);
  if (unready) return unready;
  if (step.kind === 'pause') return null;

  applyWeight(pass, step.weight);
  // Nothing can judge a canary without traffic: weight 0 passes once applied.
  if (promoted || step.weight === 0) return null;
  const since = verdictsSince(pass, s.stepStartedAt);
  if (since.some((v) => v.result === 'pass')) return null;
  const last = since.at(-1);
  const a = spec.analysis;
  // No deadline here: a step waits for traffic as long as it takes (the checks of
  // runAnalysis abort on failures, or on `inconclusiveDeadline` when the manifest sets one).
  if (last === undefined) return open(`waiting for analysis (next check in ${seconds(Math.max(0, s.analysis.lastCheckAt + a.intervalMs - input.now))})`);
  if (last.result === 'inconclusive') return open(last.reason);
  return open(`last check failed (${s.analysis.failures} of ${a.failureLimit}): ${last.reason}`);
}

function holdFinalising(pass: Pass): Hold | null {
  const { status: s, input } = pass;
  if (s.pausedByUser) return open('paused by user (dsr resume to continue)');
  const unready = waitForHealthy(pass, s.stepStartedAt);
  if (unready) return unready;
  applyWeight(pass, 100);
  const stable = pass.stable.id;
  // The gateway applies a new weight after this pass: in-flight counts mean nothing before then.
  if (pass.weightChanged) return { ...open(`routing 100% to ${s.canary.id}, then draining ${stable}`), wakeAt: input.now + DRAIN_POLL_MS };
  const inFlight = input.inFlight(stable);
  const drainEnd = s.stepStartedAt + DRAIN_TIMEOUT_MS;
  if (inFlight > 0 && input.now < drainEnd) {
    return { ...open(`draining ${inFlight} request${inFlight === 1 ? '' : 's'} from ${stable}`), wakeAt: Math.min(input.now + DRAIN_POLL_MS, drainEnd) };
  }
  emit(pass, 'rollout.drained', inFlight === 0 ? `${stable} drained` : `${stable} still had ${inFlight} requests in flight after ${seconds(DRAIN_TIMEOUT_MS)}`, {
    stable,
    inFlight,
    timedOut: inFlight > 0,
  });
  return null;
}

/**
 * Holds while the canary has fewer healthy instances than replicas; aborts `progressDeadline`
 * after `anchor`. This is the only use of `progressDeadline`: the new instances must be healthy
 * by then. Waiting for traffic is a different wait (see runAnalysis).
 */
function waitForHealthy(pass: Pass, anchor: number): Hold | null {
  const { status: s, input, spec } = pass;
  const want = s.canary.spec.replicas;
  const ready = input.ready(s.canary.id);
  if (ready >= want) return null;
  // A DSR restarted long after the step began knows no verdict for the canary's instances in its
  // first passes: aborting on the deadline then would end a healthy canary on every upgrade.
  const unjudged = input.unjudged?.(s.canary.id) ?? 0;
  if (ready + unjudged >= want) {
    return { ...open(`waiting for the first health check of ${unjudged} instance${unjudged === 1 ? '' : 's'}`), wakeAt: input.now + READY_POLL_MS };
  }
  const deadline = anchor + spec.progressDeadlineMs;
  const count = `${ready} of ${want} ready`;
  return {
    reason: `waiting for healthy instances: ${count}`,
    deadline,
    deadlineReason: `new instances not healthy within ${seconds(spec.progressDeadlineMs)} (${s.canary.id}: ${count})`,
    wakeAt: Math.min(deadline, input.now + READY_POLL_MS),
  };
}

function open(reason: string): Hold {
  return { reason, deadline: null, deadlineReason: '', wakeAt: null };
}
