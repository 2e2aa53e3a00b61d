// Everything that defines a version's containers, built once from the manifest and passed
// unopened through the planner, the rollout machine and the runtime: only the template builder
// below, specHash() (spec-hash.ts) and a runtime's create body (src/docker/container-config.ts)
// read its fields. Health, stopGracePeriod, rollout and gateway settings are not container config:
// changing them never replaces a container, so they are not here.
//
// A new container field costs one place each: a field here with its default in ADDED_DEFAULTS,
// its line in containerTemplate(), its entry in spec-hash.ts, and what container-config.ts writes.
import type { ResourcesSpec, ServiceSpec, VersionSpec } from '../manifest/service-spec.js';

/** Storage mounted into an instance. A named volume lives as long as the service (see src/runtime/names.ts volumeName). */
export type TemplateVolume =
  | { kind: 'named'; name: string; mountPath: string; readOnly: boolean }
  | { kind: 'host'; hostPath: string; mountPath: string; readOnly: boolean };

/** What a version's containers are made of. A change in any field means new containers. */
export interface ContainerTemplate {
  image: string;
  env: Record<string, string>;
  /** Replaces the image's command; null keeps the image's own. */
  command: string[] | null;
  /** The port the container listens on; null for a worker (SPEC §8: nothing published, JSON `null` in the hash). */
  port: number | null;
  /** Named volumes and host paths, in manifest order. */
  volumes: TemplateVolume[];
  /** Memory, CPU and process limits; null = none. */
  resources: ResourcesSpec;
  /** User labels on the container (the `dsr.` prefix is DSR's and rejected by validation). */
  labels: Record<string, string>;
  /**
   * Secret files (SPEC §8) by name, each with the keyed digest of its content (src/secrets/digest.ts),
   * never a value: this template is saved in state.json and hashed into a label. The runtime
   * reads the values at creation. A changed file changes its digest, so the service rolls out.
   */
  secrets: TemplateSecret[];
}

/** A secret of a template: its file's name and the digest of the content it was resolved with. */
export interface TemplateSecret {
  name: string;
  digest: string;
}

/** The fields added after the first release, at their defaults: what a manifest that does not use them gets. */
export const ADDED_DEFAULTS: Readonly<Pick<ContainerTemplate, 'volumes' | 'resources' | 'labels' | 'secrets'>> = Object.freeze({
  volumes: [],
  resources: { memoryBytes: null, nanoCpus: null, pids: null },
  labels: {},
  secrets: [],
});

/** The service-level manifest fields that go into its versions' templates. */
export type TemplateService = Pick<ServiceSpec, 'port' | 'volumes' | 'resources' | 'labels' | 'secrets' | 'secretDigests'>;

/** The digest of a secret the controller has not resolved yet: such a template never reaches a create (the reconciler holds the service). */
export const UNRESOLVED_SECRET = 'unresolved';

/** The template of `version` of `service`: the one place a manifest becomes container config. */
export function containerTemplate(service: TemplateService, version: Pick<VersionSpec, 'image' | 'env' | 'command'>): ContainerTemplate {
  return {
    image: version.image,
    env: { ...version.env },
    command: version.command ? [...version.command] : null,
    port: service.port,
    // `shared` is a validation rule about strategies, not container config: it stays out.
    volumes: service.volumes.map((v): TemplateVolume => v.kind === 'named'
      ? { kind: 'named', name: v.name, mountPath: v.mountPath, readOnly: v.readOnly }
      : { kind: 'host', hostPath: v.hostPath, mountPath: v.mountPath, readOnly: v.readOnly }),
    resources: { ...service.resources },
    labels: { ...service.labels },
    secrets: service.secrets.map((name) => ({ name, digest: service.secretDigests?.[name] ?? UNRESOLVED_SECRET })),
  };
}

/**
 * A template as stored by an earlier DSR, completed: fields added since take their defaults, since
 * that release could not set them. A tracked version saved before the template existed
 * (≤ a9bff66) had only image, env and command, and always the service's port.
 */
export function storedTemplate(stored: Partial<ContainerTemplate> & Pick<ContainerTemplate, 'image'>, port: ContainerTemplate['port']): ContainerTemplate {
  return {
    image: stored.image,
    env: { ...(stored.env ?? {}) },
    command: stored.command ? [...stored.command] : null,
    port: stored.port !== undefined ? stored.port : port,
    volumes: stored.volumes ?? [...ADDED_DEFAULTS.volumes],
    resources: stored.resources ?? { ...ADDED_DEFAULTS.resources },
    labels: stored.labels ?? { ...ADDED_DEFAULTS.labels },
    secrets: stored.secrets ? stored.secrets.map((x) => ({ ...x })) : [...ADDED_DEFAULTS.secrets],
  };
}
