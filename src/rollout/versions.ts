// Version identity and the versions a rollout asks the planner to run.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import type { DesiredVersion } from '../plan/wanted.js';
import { versionHash } from '../plan/wanted.js';
import type { TrackedVersion } from './types.js';

/**
 * The id of a version: its name, unless it reuses the stable's name with another spec, in which
 * case its containers, gateway route and metrics would collide with the stable's, so the id adds
 * the spec hash's first 6 characters.
 *
 *   versionId('v2', 'ab12cd34ef56', 'v1') → 'v2'
 *   versionId('v1', 'ab12cd34ef56', 'v1') → 'v1-ab12cd'
 *   versionId('v1', 'ab12cd34ef56', null) → 'v1'
 */
export function versionId(name: string, specHash: string, stableName: string | null): string {
  return name === stableName ? `${name}-${specHash.slice(0, 6)}` : name;
}

/** The tracked form of a manifest version, named against the current stable (null: none). */
export function trackVersion(service: Pick<ServiceSpec, 'port'>, version: VersionSpec, stableName: string | null): TrackedVersion {
  const specHash = versionHash(service, version);
  return { id: versionId(version.name, specHash, stableName), name: version.name, specHash, spec: { ...version } };
}

/** Whether a manifest version is exactly a tracked one (same name and container spec; replicas may differ). */
export function sameVersion(service: Pick<ServiceSpec, 'port'>, version: VersionSpec, tracked: TrackedVersion): boolean {
  return version.name === tracked.name && versionHash(service, version) === tracked.specHash;
}

/** What the planner must run for a tracked version at `weight` percent. */
export function desiredVersion(v: TrackedVersion, weight: number): DesiredVersion {
  return {
    name: v.id,
    image: v.spec.image,
    env: v.spec.env,
    command: v.spec.command,
    replicas: v.spec.replicas,
    weight,
    specHash: v.specHash,
  };
}
