// The planner's view of what should run: per service, the versions that must have containers,
// each with the hash that identifies its container spec. The rollout machine (later) decides
// which versions these are during a canary; without a rollout they are the manifest's versions.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';
import { specHash } from './spec-hash.js';

/** One version that must have `replicas` running containers of spec `specHash`. */
export interface DesiredVersion {
  name: string;
  image: string;
  env: Record<string, string>;
  command: string[] | null;
  replicas: number;
  weight: number;
  specHash: string;
}

/** One service that must run. */
export interface DesiredService {
  name: string;
  /** null: a worker, no port published. */
  port: number | null;
  versions: DesiredVersion[];
  /** How long a removed instance gets to finish its requests, then again to exit after SIGTERM. */
  stopGracePeriodMs: number;
}

/** The container-spec hash of a version of a service: what a changed image/env/command/port changes. */
export function versionHash(service: Pick<ServiceSpec, 'port'>, version: VersionSpec): string {
  return specHash({ image: version.image, env: version.env, command: version.command, port: service.port });
}

/** The desired containers of a service exactly as its manifest declares them. */
export function desiredFromSpec(spec: ServiceSpec): DesiredService {
  return {
    name: spec.name,
    port: spec.port,
    stopGracePeriodMs: spec.stopGracePeriodMs,
    versions: spec.versions.map((v) => ({
      name: v.name,
      image: v.image,
      env: v.env,
      command: v.command,
      replicas: v.replicas,
      weight: v.weight,
      specHash: versionHash(spec, v),
    })),
  };
}
