// The Rolling and Recreate strategies (SPEC §8 `spec.strategy`): how a new version replaces the
// stable one without traffic steps or analysis. Pure, like the canary machine they plug into
// (machine.ts): progress lives in the persisted RolloutStatus, so a restarted DSR resumes it.
//
// - Rolling: one new instance at a time. `stepIndex` = new instances proven healthy so far (k);
//   the planner runs k+1 new and N-k old, so each new instance that turns healthy lets one old
//   one be drained and removed. A new instance not healthy within progressDeadline aborts: all
//   of the old version again, none of the new, until `dsr retry` or another commit.
// - Recreate: single writer. Step 0 runs none of either until no old container is left (any
//   state); only then step 1 starts the new ones, so old and new never run at once.
import type { DesiredVersion } from '../plan/wanted.js';
import { abort, emit, type Pass } from './pass.js';
import { READY_POLL_MS } from './steps.js';
import type { TrackedVersion } from './types.js';
import { desiredVersion } from './versions.js';

/** The strategies that replace instances rather than shift traffic step by step. */
export type ReplaceStrategy = 'Rolling' | 'Recreate';

/**
 * What must run at `stepIndex` of a replacement. Worked example, Rolling with 3 replicas:
 *   k=0 → v1 ×3 100%, v2 ×1 0%;   k=1 → v1 ×2 67%, v2 ×2 33%;   k=2 → v1 ×1 33%, v2 ×3 67%.
 * Recreate: step 0 → v1 ×0 (stopping), step 1 → v2 ×3 100%.
 */
export function replaceVersions(strategy: ReplaceStrategy, stable: TrackedVersion, next: TrackedVersion, stepIndex: number): DesiredVersion[] {
  const n = next.spec.replicas;
  if (strategy === 'Recreate') {
    return stepIndex === 0 ? [desiredVersion(withReplicas(stable, 0), 100)] : [desiredVersion(next, 100)];
  }
  const k = Math.min(stepIndex, n);
  const newWeight = n === 0 ? 0 : Math.round((100 * k) / n);
  return [desiredVersion(withReplicas(stable, n - k), 100 - newWeight), desiredVersion(withReplicas(next, Math.min(n, k + 1)), newWeight)];
}

/**
 * Advances a Rolling or Recreate replacement by what was observed. Sets `pass.completed` when
 * every new instance is healthy (the caller makes the new version stable), aborts `pass.status`
 * on the progress deadline, and fills the summary and the next wake-up.
 */
export function stepReplace(strategy: ReplaceStrategy, pass: Pass): void {
  const { input, status: s, stable } = pass;
  const n = s.canary.spec.replicas;
  const ready = input.ready(s.canary.id);
  if (strategy === 'Recreate' && s.stepIndex === 0) {
    const left = (input.present ?? input.ready)(stable.id);
    if (left > 0) {
      pass.summary = `recreate ${s.canary.id}: stopping ${stable.id} first (${left} left; ${s.canary.id} starts once none runs)`;
      return;
    }
    s.stepIndex = 1;
    s.stepStartedAt = input.now;
    emit(pass, 'rollout.step', `all of ${stable.id} stopped; starting ${n} of ${s.canary.id}`, { strategy, step: 1 });
  }
  if (ready >= n) {
    pass.completed = true;
    return;
  }
  if (strategy === 'Rolling' && ready > s.stepIndex) {
    s.stepIndex = ready;
    s.stepStartedAt = input.now;
    s.weight = n === 0 ? 0 : Math.round((100 * ready) / n);
    emit(pass, 'rollout.step', `${ready} of ${n} instance(s) of ${s.canary.id} healthy; removing one of ${stable.id}`, { strategy, step: ready });
  }
  const deadline = s.stepStartedAt + input.service.rollout.progressDeadlineMs;
  // Instances a restarted DSR has not judged yet are not unhealthy: their first verdict decides.
  const unjudged = input.unjudged?.(s.canary.id) ?? 0;
  if (input.now >= deadline && unjudged > 0) {
    pass.wakeAt.push(input.now + READY_POLL_MS);
  } else if (input.now >= deadline) {
    abort(pass, deadlineReason(strategy, pass, ready, n));
    return;
  } else {
    pass.wakeAt.push(deadline);
  }
  pass.summary = strategy === 'Rolling'
    ? `rolling ${s.canary.id}: ${s.stepIndex} of ${n} new instance(s) healthy, ${n - s.stepIndex} of ${stable.id} left`
    : `recreate ${s.canary.id}: ${ready} of ${n} new instance(s) healthy`;
}

/** Why a replacement stopped at its progress deadline, and what to do. */
function deadlineReason(strategy: ReplaceStrategy, pass: Pass, ready: number, n: number): string {
  const { input, status: s, stable } = pass;
  const seconds = Math.round(input.service.rollout.progressDeadlineMs / 1000);
  const what = strategy === 'Rolling' ? `instance ${s.stepIndex + 1} of ${s.canary.id}` : `${n - ready} of ${n} instance(s) of ${s.canary.id}`;
  return `${what} not healthy within progressDeadline (${seconds}s); ${stable.id} runs ${stable.spec.replicas} instance(s) again: fix the version and commit, or dsr retry ${input.service.name}`;
}

function withReplicas(v: TrackedVersion, replicas: number): TrackedVersion {
  return { ...v, spec: { ...v.spec, replicas } };
}

