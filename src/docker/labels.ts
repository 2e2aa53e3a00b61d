// Labels are the only truth about which containers DSR owns: names are for humans, labels are
// what list() filters on and what the planner reads back. Everything here is pure.
import { createHash } from 'node:crypto';

/** Label keys DSR puts on every container (and network) it creates. */
export const LABELS = {
  managedBy: 'dsr.managed-by',
  owner: 'dsr.owner',
  service: 'dsr.service',
  version: 'dsr.version',
  specHash: 'dsr.spec-hash',
  instance: 'dsr.instance',
  /** The container port the instance listens on, so list() can compute network-mode addresses without an inspect; "" for a worker. */
  port: 'dsr.port',
} as const;

/** Value of the managed-by label. */
export const MANAGED_BY = 'dsr';

/** The owner of a DSR installation that did not configure one. */
export const DEFAULT_OWNER = 'default';

// Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]; owners are embedded in names, so keep them tame.
const OWNER_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Throws when an owner could not be embedded in container names (e.g. `My Owner`). */
export function assertValidOwner(owner: string): void {
  if (!OWNER_PATTERN.test(owner)) {
    throw new Error(`invalid DSR owner "${owner}": use 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit`);
  }
}

/** Label filters (Docker's `key=value` form) that select exactly one owner's containers. */
export function ownerLabelFilters(owner: string): string[] {
  return [`${LABELS.managedBy}=${MANAGED_BY}`, `${LABELS.owner}=${owner}`];
}

/** Labels of one instance container, e.g. `{ 'dsr.service': 'web', 'dsr.instance': '2', ... }`. */
export function instanceLabels(
  owner: string,
  spec: { service: string; version: string; index: number; specHash: string; port: number | null },
): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.owner]: owner,
    [LABELS.service]: spec.service,
    [LABELS.version]: spec.version,
    [LABELS.specHash]: spec.specHash,
    [LABELS.instance]: String(spec.index),
    [LABELS.port]: spec.port === null ? '' : String(spec.port),
  };
}

/** Labels of a network DSR created for its owner. */
export function networkLabels(owner: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: owner };
}

/**
 * Container name of an instance: `dsr-web-v2-1` for the default owner, `dsr-t3k9x2-web-v2-1`
 * otherwise, so two installations on one host never collide on names.
 */
export function containerName(owner: string, service: string, version: string, index: number): string {
  const scope = owner === DEFAULT_OWNER ? '' : `${owner}-`;
  return `dsr-${scope}${service}-${version}-${index}`;
}

/** What identifies a version's containers: a change in any of these means new containers. */
export interface SpecHashInput {
  image: string;
  env: Record<string, string>;
  command: string[] | null;
  /** null for a worker: JSON gives `null`, so every hash of a service with a port is unchanged. */
  port: number | null;
}

/**
 * 12 hex digits of the sha256 of the spec in a fixed key order (env keys sorted), so the same
 * spec always hashes the same however its env object was built.
 */
export function specHash(input: SpecHashInput): string {
  const env = Object.keys(input.env)
    .sort()
    .map((key) => [key, input.env[key]]);
  const canonical = JSON.stringify([input.image, env, input.command, input.port]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}
