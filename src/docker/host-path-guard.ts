// The loader checks a hostPath against DSR_HOST_PATHS as text (src/manifest/host-paths.ts), but the
// engine follows symbolic links in a bind source when it mounts. Any container that may write under
// an allowed root can plant one there (`ln -s / /data/x` from inside: the link's target is read on
// the host), and another manifest's hostPath `<root>/x` would then mount the host's `/`. So just
// before a create, each hostPath is resolved on this machine, one whose real path leaves the roots
// is refused, and the real path is what gets mounted (a link planted later changes nothing).
import { realpath as fsRealpath } from 'node:fs/promises';
import { hostPathProblem } from '../manifest/host-paths.js';
import type { InstanceSpec } from '../runtime/runtime.js';

/** A hostPath whose real path (symbolic links followed) is outside DSR_HOST_PATHS: never mounted. */
export class HostPathEscapeError extends Error {
  override readonly name = 'HostPathEscapeError';
}

// Not there (yet): the engine refuses a missing bind source itself, so nothing is mounted.
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * `spec` with each hostPath replaced by its real path, or a HostPathEscapeError when one resolves
 * outside `roots`. `roots` null: no check (a runtime built without DSR_HOST_PATHS, e.g. in tests).
 */
export async function resolveHostPaths(spec: InstanceSpec, roots: readonly string[] | null, realpath: (p: string) => Promise<string> = fsRealpath): Promise<InstanceSpec> {
  if (roots === null || !spec.template.volumes.some((v) => v.kind === 'host')) return spec;
  const volumes = await Promise.all(spec.template.volumes.map(async (v) => {
    if (v.kind !== 'host') return v;
    let real: string;
    try {
      real = await realpath(v.hostPath);
    } catch (err) {
      if (MISSING.has((err as NodeJS.ErrnoException).code ?? '')) return v;
      throw new HostPathEscapeError(`hostPath ${JSON.stringify(v.hostPath)} of ${spec.service}: cannot resolve it to check DSR_HOST_PATHS (${(err as Error).message}); make it readable by DSR`, { cause: err });
    }
    const problem = hostPathProblem(real, roots);
    if (problem) {
      throw new HostPathEscapeError(`hostPath ${JSON.stringify(v.hostPath)} of ${spec.service} is a symbolic link (or under one) to ${real}, outside DSR_HOST_PATHS (${roots.join(', ')}): not mounted; remove the link, or mount its target's folder if the operator allows it`);
    }
    return { ...v, hostPath: real };
  }));
  return { ...spec, template: { ...spec.template, volumes } };
}
