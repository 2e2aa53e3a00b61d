// The planner's view of what should run: per service, the versions that must have containers,
// each with its container template and the hash that identifies it. The rollout machine decides
// which versions these are during a canary; without a rollout they are the manifest's versions.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import { containerTemplate, type ContainerTemplate, type TemplateService } from '../template/container-template.js';
import { specHash } from '../template/spec-hash.js';

/** One version that must have `replicas` running containers of `template` (hash `specHash`). */
export interface DesiredVersion {
  name: string;
  replicas: number;
  weight: number;
  template: ContainerTemplate;
  specHash: string;
}

/** One service that must run. */
export interface DesiredService {
  name: string;
  versions: DesiredVersion[];
  /** How long a removed instance gets to finish its requests, then again to exit after SIGTERM. */
  stopGracePeriodMs: number;
}

/** The container-spec hash of a version of a service: what a changed template changes. */
export function versionHash(service: TemplateService, version: VersionSpec): string {
  return specHash(containerTemplate(service, version));
}

/** The desired containers of a service exactly as its manifest declares them. */
export function desiredFromSpec(spec: ServiceSpec): DesiredService {
  return {
    name: spec.name,
    stopGracePeriodMs: spec.stopGracePeriodMs,
    versions: spec.versions.map((v) => {
      const template = containerTemplate(spec, v);
      return { name: v.name, replicas: v.replicas, weight: v.weight, template, specHash: specHash(template) };
    }),
  };
}
