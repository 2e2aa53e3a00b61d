// Which host folders a manifest may mount (`spec.volumes[].hostPath`, SPEC §8): only those under a
// root the operator lists in DSR_HOST_PATHS. Pure: the CLI reads the variable and passes the
// roots into the loader, so `dsr validate`, `dsr plan` and `dsr run` judge alike.
import { posix } from 'node:path';

/** The roots in DSR_HOST_PATHS (`:`-separated absolute folders), and the entries that are not absolute. */
export interface HostPathRoots {
  roots: string[];
  invalid: string[];
}

/** Parses DSR_HOST_PATHS: `/srv:/data/apps` → roots `/srv`, `/data/apps` (`..` resolved, empty entries skipped). */
export function parseHostPathRoots(value: string | undefined): HostPathRoots {
  const roots: string[] = [];
  const invalid: string[] = [];
  for (const entry of (value ?? '').split(':')) {
    if (entry.trim() === '') continue;
    if (!entry.startsWith('/')) invalid.push(entry);
    else roots.push(posix.resolve(entry));
  }
  return { roots: [...new Set(roots)], invalid };
}

/** The message for a DSR_HOST_PATHS with relative entries, for the CLI to print (exit 2). */
export function invalidRootsMessage(invalid: readonly string[]): string {
  return `DSR_HOST_PATHS must list absolute folders separated by ":" (e.g. /srv/dsr:/data); not absolute: ${invalid.map((e) => JSON.stringify(e)).join(', ')}`;
}

/**
 * Why a hostPath may not be mounted, or null when it may. `..` is resolved before the check
 * (`/srv/app/../../etc` is `/etc`); symbolic links are not followed here (the loader reads no
 * files): the Docker runtime checks each real path again just before a create (host-path-guard.ts).
 */
export function hostPathProblem(hostPath: string, roots: readonly string[]): string | null {
  if (!hostPath.startsWith('/')) return `must be an absolute path (starting with "/"), got ${JSON.stringify(hostPath)}`;
  if (hostPath.includes('\0')) return 'contains a NUL character; remove it';
  const resolved = posix.resolve(hostPath);
  if (roots.length === 0) {
    return `host paths are refused until the operator allows them: set DSR_HOST_PATHS to the folders DSR may mount (e.g. DSR_HOST_PATHS=${posix.dirname(resolved) === '/' ? resolved : posix.dirname(resolved)}), or use a named volume (name: ...) instead`;
  }
  if (roots.some((root) => root === '/' || resolved === root || resolved.startsWith(`${root}/`))) return null;
  const shown = resolved === hostPath ? '' : ` (${resolved} once ".." is resolved)`;
  return `${JSON.stringify(hostPath)}${shown} is not under a folder allowed by DSR_HOST_PATHS (${roots.join(', ')}); move the data under one of them, ask the operator to allow its folder, or use a named volume`;
}
