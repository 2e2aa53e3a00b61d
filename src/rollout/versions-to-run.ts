// The one decision of which versions must run, shared by `dsr run` (the rollout machine's output,
// routes and status before the first pass) and `dsr plan` (which reads the same persisted state),
// so the two can never disagree about a rollout.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import type { DesiredVersion } from '../plan/wanted.js';
import { desiredFromSpec } from '../plan/wanted.js';
import type { TemplateService } from '../template/container-template.js';
import type { RolloutState, TrackedVersion } from './types.js';
import { desiredVersion, sameVersion, trackVersion, versionId } from './versions.js';
import { replaceVersions } from './replace.js';

/**
 * The versions (ids, specs, replicas, weights) that must run for `service` given the persisted
 * rollout `state`. `ready(id)` counts the healthy instances of a version; it only matters when no
 * stable is recorded (see adoptStable). Pure: no clock, no traffic, so it never advances a step.
 *
 * With stable v1 (2 replicas) recorded:
 *   manifest v1, 3 replicas             → v1 100% ×3 (a replicas-only change scales in place)
 *   manifest v2, no rollout yet         → v1 100% ×2, v2 0% (the canary the next pass starts)
 *   manifest v2, rollout at 20%         → v1 80%, v2 20%
 *   manifest v2, rollout aborted        → v1 100% (v2 waits for `dsr retry` or a new commit)
 *   manifest v1 with another image      → v1 100%, v1-<hash6> 0% (a same-name canary)
 *   manifest v1 + v2 (static split)     → as written
 *   strategy Rolling / Recreate         → see replaceVersions() (rollout/replace.ts)
 */
export function versionsToRun(service: ServiceSpec, state: RolloutState, ready: (versionId: string) => number): DesiredVersion[] {
  const only = service.versions.length === 1 ? service.versions[0] : undefined;
  if (!only) return desiredFromSpec(service).versions;
  const stable = state.stable ?? adoptStable(service, only, ready);
  if (sameVersion(service, only, stable)) return [desiredVersion({ ...stable, spec: { ...only } }, 100)];
  const r = state.rollout;
  if (r && sameVersion(service, only, r.canary)) {
    if (r.phase === 'Aborted') return [desiredVersion(stable, 100)];
    if (service.strategy !== 'Canary') return replaceVersions(service.strategy, stable, { ...r.canary, spec: { ...only } }, r.stepIndex);
    // Replicas of the canary may change mid-rollout without restarting it.
    return [desiredVersion(stable, 100 - r.weight), desiredVersion({ ...r.canary, spec: { ...only } }, r.weight)];
  }
  const next = trackVersion(service, only, stable.name);
  // Rolling and Recreate start at their first step (Recreate: stop the old version first).
  if (service.strategy !== 'Canary') return replaceVersions(service.strategy, stable, next, 0);
  // The machine starts (or replaces) a canary on its next pass: its instances come up at 0%.
  return [desiredVersion(stable, 100), desiredVersion(next, 0)];
}

/**
 * The stable for a service with no rollout state (first deploy, adoption, lost state). Its id is
 * its name, unless only instances under the hashed id run: the leftovers of a completed
 * same-name rollout whose state was lost, which must be adopted rather than replaced.
 */
export function adoptStable(service: TemplateService, version: VersionSpec, ready: (versionId: string) => number): TrackedVersion {
  const stable = trackVersion(service, version, null);
  const hashed = versionId(version.name, stable.specHash, version.name);
  if (ready(stable.id) === 0 && ready(hashed) > 0) stable.id = hashed;
  return stable;
}
