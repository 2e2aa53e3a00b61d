// Everything that defines a version's containers, built once from the manifest and passed
// unopened through the planner, the rollout machine and the runtime: only the template builder
// below, specHash() (spec-hash.ts) and a runtime's create body (src/docker/container-config.ts)
// read its fields. Health, stopGracePeriod, rollout and gateway settings are not container config:
// changing them never replaces a container, so they are not here.
import type { ServiceSpec, VersionSpec } from '../manifest/service-spec.js';

/** What a version's containers are made of. A change in any field means new containers. */
export interface ContainerTemplate {
  image: string;
  env: Record<string, string>;
  /** Replaces the image's command; null keeps the image's own. */
  command: string[] | null;
  /** The port the container listens on; null for a worker (SPEC §8: nothing published, JSON `null` in the hash). */
  port: number | null;
}

/** The service-level manifest fields that go into its versions' templates. */
export type TemplateService = Pick<ServiceSpec, 'port'>;

/** The template of `version` of `service`: the one place a manifest becomes container config. */
export function containerTemplate(service: TemplateService, version: Pick<VersionSpec, 'image' | 'env' | 'command'>): ContainerTemplate {
  return { image: version.image, env: { ...version.env }, command: version.command ? [...version.command] : null, port: service.port };
}

/**
 * The template of a version a DSR release before the template existed (≤ a9bff66) recorded in its
 * rollout state (image, env and command; the port was always the service's). Fields added since
 * take their defaults: that release could not set them.
 */
export function legacyTemplate(version: { image: string; env: Record<string, string>; command: string[] | null }, port: number | null): ContainerTemplate {
  return { image: version.image, env: { ...version.env }, command: version.command ? [...version.command] : null, port };
}
