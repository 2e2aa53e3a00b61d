// How DSR names what it runs, on every runtime: owners scope an installation, instance names
// embed owner, service, version and index. Pure.

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

/**
 * Container name of an instance: `dsr-web-v2-1` for the default owner, `dsr-t3k9x2-web-v2-1`
 * otherwise, so two installations on one host never collide on names.
 */
export function containerName(owner: string, service: string, version: string, index: number): string {
  const scope = owner === DEFAULT_OWNER ? '' : `${owner}-`;
  return `dsr-${scope}${service}-${version}-${index}`;
}

/**
 * Swarm service name of a version (one service per DSR version, docs/swarm.md): `dsr-web-v2` for
 * the default owner, `dsr-t3k9x2-web-v2` otherwise, as containerName without the index. A second
 * spec of the same version (running beside it while it replaces it) adds the spec hash's first 8
 * characters: `dsr-web-v2-0a1b2c3d`.
 */
export function versionServiceName(owner: string, service: string, version: string, hashSuffix: string | null = null): string {
  const scope = owner === DEFAULT_OWNER ? '' : `${owner}-`;
  return `dsr-${scope}${service}-${version}${hashSuffix ? `-${hashSuffix.slice(0, 8)}` : ''}`;
}

/**
 * Docker name of a service's named volume: `dsr-<owner>-<service>-<name>`, owner always included
 * (even the default one), so a volume's name alone says which installation and service keep it.
 */
export function volumeName(owner: string, service: string, name: string): string {
  return `dsr-${owner}-${service}-${name}`;
}
