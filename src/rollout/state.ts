// Reading the rollout state back from the store, which keeps it as `unknown` (src/store/state.ts).
import { storedTemplate, type ContainerTemplate, type TemplateService } from '../template/container-template.js';
import type { RolloutState, TrackedVersion } from './types.js';

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

/**
 * The stored rollout state of `service`, or an empty one when there is none or it is not a
 * RolloutState. A tracked version saved by a DSR before the ContainerTemplate existed (≤ a9bff66)
 * gets the template that release ran it with: its image, env and command, and the service's port
 * (that release always took the port from the current manifest); one saved before a template
 * field was added gets that field's default. Either way its hash is unchanged, so an upgrade
 * adopts its containers.
 */
export function rolloutStateFrom(saved: unknown, service: TemplateService): RolloutState {
  if (!isRolloutState(saved)) return emptyRolloutState();
  const state = JSON.parse(JSON.stringify(saved)) as RolloutState;
  const upgrade = (v: TrackedVersion): void => {
    const stored = (isRecord(v.template) ? v.template : { image: v.spec.image, env: v.spec.env, command: v.spec.command }) as Partial<ContainerTemplate> & { image: string };
    v.template = storedTemplate(stored, service.port);
  };
  if (state.stable) upgrade(state.stable);
  if (state.rollout) upgrade(state.rollout.canary);
  return state;
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
