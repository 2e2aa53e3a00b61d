// Reading the rollout state back from the store, which keeps it as `unknown` (src/store/state.ts).
import type { RolloutState } from './types.js';

/** The state of a service the machine has never seen. */
export function emptyRolloutState(): RolloutState {
  return { stable: null, rollout: null };
}

/**
 * Whether a stored value has the shape of a RolloutState (a light check of the fields the
 * machine relies on), so a hand-edited or older state file is rejected rather than trusted.
 */
export function isRolloutState(value: unknown): value is RolloutState {
  if (!isRecord(value) || !('stable' in value) || !('rollout' in value)) return false;
  if (value.stable !== null && !isTracked(value.stable)) return false;
  if (value.rollout === null) return true;
  const r = value.rollout;
  return (
    isRecord(r) &&
    value.stable !== null &&
    ['Progressing', 'Paused', 'Aborted', 'Completed'].includes(String(r.phase)) &&
    isTracked(r.canary) &&
    [r.stepIndex, r.weight, r.startedAt, r.stepStartedAt].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    typeof r.pausedByUser === 'boolean' &&
    isRecord(r.analysis) &&
    typeof r.analysis.lastCheckAt === 'number' &&
    (r.analysis.windowFrom === undefined || typeof r.analysis.windowFrom === 'number') &&
    typeof r.analysis.failures === 'number' &&
    Array.isArray(r.analysis.history)
  );
}

function isTracked(x: unknown): boolean {
  return (
    isRecord(x) &&
    typeof x.id === 'string' &&
    typeof x.name === 'string' &&
    typeof x.specHash === 'string' &&
    isRecord(x.spec) &&
    typeof x.spec.image === 'string' &&
    typeof x.spec.replicas === 'number'
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
