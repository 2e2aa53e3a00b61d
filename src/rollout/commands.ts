// Operator gates (SPEC §5): promote, abort, pause, resume, retry. `retry` restarts an aborted
// rollout and is handled where the machine decides whether a rollout exists (machine.ts).
import type { Strategy } from '../manifest/service-spec.js';
import type { Pass } from './pass.js';
import { abort, emit, stepLabel } from './pass.js';
import type { RolloutCommand, RolloutState } from './types.js';

/**
 * Why `command` cannot apply to a service in `state`, or null when it can; for the API to answer
 * 409 with a reason. The machine ignores a command that does not apply.
 */
export function commandRejection(state: RolloutState, command: RolloutCommand, strategy: Strategy = 'Canary'): string | null {
  const r = state.rollout;
  if (!r) return 'no rollout in progress';
  if (command.type === 'retry') return r.phase === 'Aborted' ? null : 'only an aborted rollout can be retried';
  if (r.phase === 'Aborted') return `the rollout of ${r.canary.id} was aborted (${r.abortReason ?? 'no reason'}); use retry`;
  // Rolling and Recreate have no traffic steps to promote or hold: they advance on health alone.
  if (strategy !== 'Canary' && command.type !== 'abort') return `${command.type} applies to Canary rollouts; a ${strategy} rollout advances as its new instances turn healthy (abort stops it, retry restarts an aborted one)`;
  if (command.type === 'resume' && !r.pausedByUser) return 'the rollout is not paused by a user (a `pause` step waits for promote)';
  if (command.type === 'pause' && r.pausedByUser) return 'the rollout is already paused';
  return null;
}

/** Applies a gate to a Progressing or Paused rollout. */
export function applyCommand(pass: Pass, command: RolloutCommand | null): void {
  const s = pass.status;
  const now = pass.input.now;
  const finalising = s.stepIndex >= pass.spec.steps.length;
  switch (command?.type) {
    case 'abort':
      abort(pass, 'aborted by user (dsr abort)');
      return;
    case 'pause':
      if (s.pausedByUser) return;
      s.pausedByUser = true;
      emit(pass, 'rollout.paused', `rollout of ${s.canary.id} paused by user at ${stepLabel(pass.spec, s.stepIndex)}`, { by: 'user', step: s.stepIndex });
      return;
    case 'resume':
      if (!s.pausedByUser) return;
      s.pausedByUser = false;
      // The step's clock restarts: time spent paused must not count against its deadline.
      s.stepStartedAt = now;
      emit(pass, 'rollout.resumed', `rollout of ${s.canary.id} resumed at ${stepLabel(pass.spec, s.stepIndex)}`, { step: s.stepIndex });
      return;
    case 'promote':
      if (finalising) return;
      // As in Argo Rollouts, a promote also lifts a user's pause.
      s.pausedByUser = false;
      s.stepStartedAt = now;
      if (command.full) {
        s.stepIndex = pass.spec.steps.length;
        s.promotedStep = null;
        emit(pass, 'rollout.promoted', `rollout of ${s.canary.id} fully promoted: skipping the remaining steps`, { full: true });
      } else {
        s.promotedStep = s.stepIndex;
        emit(pass, 'rollout.promoted', `${stepLabel(pass.spec, s.stepIndex)} promoted`, { full: false, step: s.stepIndex });
      }
      return;
    default:
      return;
  }
}
