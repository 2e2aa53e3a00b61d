// The working context of one call of the rollout machine: the draft status it mutates, the events
// it emits and the times at which something can change by itself. Internal to src/rollout/.
import type { RolloutSpec, RolloutStep } from '../manifest/service-spec.js';
import type { RolloutEvent, RolloutStatus, StepInput, TrackedVersion } from './types.js';

export interface Pass {
  input: StepInput;
  spec: RolloutSpec;
  stable: TrackedVersion;
  /** A draft: the caller's state was cloned before the pass began. */
  status: RolloutStatus;
  events: RolloutEvent[];
  /** Absolute times at which the machine must look again. */
  wakeAt: number[];
  summary: string;
  /** Set when the weight changed in this pass: the gateway has not applied it yet. */
  weightChanged: boolean;
  /** Set when the canary took over (the caller makes it the stable and clears the rollout). */
  completed: boolean;
}

/** Appends an event about the canary. */
export function emit(pass: Pass, kind: string, message: string, data: Record<string, unknown> = {}): void {
  pass.events.push({ kind, message, data, version: pass.status.canary.id });
}

/** Ends the rollout: all traffic back to the stable, canary containers removed by the planner. */
export function abort(pass: Pass, reason: string): void {
  const s = pass.status;
  const from = s.weight;
  s.phase = 'Aborted';
  s.abortReason = reason;
  s.weight = 0;
  s.pausedByUser = false;
  s.promotedStep = null;
  pass.summary = `aborted: ${reason} (dsr retry to try again)`;
  emit(pass, 'rollout.aborted', `rollout of ${s.canary.id} aborted: ${reason}; 100% back to ${pass.stable.id}`, {
    reason,
    step: s.stepIndex,
    weight: from,
    stable: pass.stable.id,
  });
}

/** Sets the canary weight and restarts the step clock and the analysis window at it. */
export function applyWeight(pass: Pass, weight: number): void {
  const s = pass.status;
  if (s.weight === weight) return;
  const from = s.weight;
  s.weight = weight;
  s.stepStartedAt = pass.input.now;
  // Traffic judged at the next check must all have been sent at this weight.
  s.analysis.lastCheckAt = pass.input.now;
  s.analysis.windowFrom = pass.input.now;
  pass.weightChanged = true;
  emit(pass, 'rollout.weight', `${s.canary.id} ${weight}%, ${pass.stable.id} ${100 - weight}%`, { from, to: weight, step: s.stepIndex });
}

/** `step 3/7: setWeight 25`, `step 4/7: pause`, or `finalising`. */
export function stepLabel(spec: RolloutSpec, index: number): string {
  const step = spec.steps[index];
  return step ? `step ${index + 1}/${spec.steps.length}: ${describeStep(step)}` : 'finalising';
}

/** `setWeight 25`, `pause 30s`, `pause` (until promoted). */
export function describeStep(step: RolloutStep): string {
  if (step.kind === 'setWeight') return `setWeight ${step.weight}`;
  return step.durationMs === null ? 'pause' : `pause ${seconds(step.durationMs)}`;
}

/** 30000 → "30s", 1500 → "1.5s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
