// What `dsr plan` shows for one service: the versions `dsr run` would run (versionsToRun over the
// persisted rollout state) and, during a rollout, one line about it. Pure.
import type { ObservedContainer } from '../runtime/runtime.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import type { RolloutState, TrackedVersion } from '../rollout/types.js';
import { versionsToRun } from '../rollout/versions-to-run.js';
import { sameVersion } from '../rollout/versions.js';
import type { DesiredService } from './wanted.js';

/** What must run for one service (the decision `dsr run` makes) and, during a rollout, one line about it. */
export function decide(spec: ServiceSpec, state: RolloutState, observed: readonly ObservedContainer[]): { desired: DesiredService; rollout: string | null } {
  // Running containers count as healthy, as everywhere in `dsr plan`.
  const ready = (id: string): number => observed.filter((c) => c.service === spec.name && c.version === id && c.state === 'running').length;
  const versions = versionsToRun(spec, state, ready);
  return { desired: { name: spec.name, versions, stopGracePeriodMs: spec.stopGracePeriodMs }, rollout: rolloutNote(spec, state, versions) };
}

/**
 * The rollout a pass of `dsr run` is in or would start, in words; null when none.
 *   stable v1, manifest v2, no rollout  → "rollout v1 → v2 starts: v2 comes up beside v1 at 0%, then 5 step(s); v1 is removed at the end"
 *   rollout of v2 at 20%                → "rollout v1 → v2 in progress: step 1/5, 20% to v2; DSR advances it"
 *   rollout of v2 aborted               → "rollout of v2 aborted (...); v1 keeps 100% (dsr retry web to try again)"
 */
export function rolloutNote(spec: ServiceSpec, state: RolloutState, versions: DesiredService['versions']): string | null {
  const only = spec.versions.length === 1 ? spec.versions[0]! : null;
  const r = state.rollout;
  const steps = spec.rollout.steps.length;
  if (only && r?.phase === 'Aborted' && state.stable && sameVersion(spec, only, r.canary)) {
    return `rollout of ${r.canary.id} aborted (${r.abortReason ?? 'no reason recorded'}); ${state.stable.id} keeps 100% (dsr retry ${spec.name} to try again)`;
  }
  if (only && spec.strategy !== 'Canary' && state.stable && !sameVersion(spec, only, state.stable)) return replaceNote(spec, state.stable, state.rollout, only);
  if (!only || versions.length !== 2) return null;
  const [stable, canary] = versions as [DesiredService['versions'][number], DesiredService['versions'][number]];
  if (r && r.phase !== 'Aborted' && r.canary.id === canary.name) {
    return `rollout ${stable.name} → ${canary.name} in progress: step ${Math.min(r.stepIndex + 1, steps)}/${steps}, ${canary.weight}% to ${canary.name}; DSR advances it`;
  }
  return `rollout ${stable.name} → ${canary.name} starts: ${canary.name} comes up beside ${stable.name} at 0%, then ${steps} step(s); ${stable.name} is removed at the end`;
}

/**
 * The Rolling or Recreate replacement a pass is in or would start, in words.
 *   Rolling, not started  → "rolling v1 → v2 starts: one new instance at a time; each old one is drained and removed once a new one is healthy"
 *   Rolling, 1 of 3       → "rolling v1 → v2 in progress: 1 of 3 new instance(s) healthy; DSR advances it"
 *   Recreate, not started → "recreate v1 → v2 starts: every v1 instance is drained and stopped first, then 3 of v2 start"
 */
function replaceNote(spec: ServiceSpec, stable: TrackedVersion, rollout: RolloutState['rollout'], only: ServiceSpec['versions'][number]): string {
  const r = rollout && sameVersion(spec, only, rollout.canary) ? rollout : null;
  const from = stable.id;
  const to = r?.canary.id ?? only.name;
  if (spec.strategy === 'Rolling') {
    return r
      ? `rolling ${from} → ${to} in progress: ${r.stepIndex} of ${only.replicas} new instance(s) healthy; DSR advances it`
      : `rolling ${from} → ${to} starts: one new instance at a time; each old one is drained and removed once a new one is healthy`;
  }
  if (!r) return `recreate ${from} → ${to} starts: every ${from} instance is drained and stopped first, then ${only.replicas} of ${to} start`;
  return r.stepIndex === 0 ? `recreate ${from} → ${to} in progress: stopping ${from}; DSR advances it` : `recreate ${from} → ${to} in progress: starting ${to}; DSR advances it`;
}
