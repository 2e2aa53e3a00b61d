// Version identity and the versions a rollout asks the planner to run.
import type { VersionSpec } from '../manifest/service-spec.js';
import type { DesiredVersion } from '../plan/wanted.js';
import { containerTemplate, type TemplateService } from '../template/container-template.js';
import { specHash } from '../template/spec-hash.js';
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
export function trackVersion(service: TemplateService, version: VersionSpec, stableName: string | null): TrackedVersion {
  const template = containerTemplate(service, version);
  const hash = specHash(template);
  return { id: versionId(version.name, hash, stableName), name: version.name, specHash: hash, spec: { ...version }, template };
}

/** Whether a manifest version is exactly a tracked one (same name and container spec; replicas may differ). */
export function sameVersion(service: TemplateService, version: VersionSpec, tracked: TrackedVersion): boolean {
  return version.name === tracked.name && specHash(containerTemplate(service, version)) === tracked.specHash;
}

/** What the planner must run for a tracked version at `weight` percent. */
export function desiredVersion(v: TrackedVersion, weight: number): DesiredVersion {
  return { name: v.id, replicas: v.spec.replicas, weight, template: v.template, specHash: v.specHash };
}
