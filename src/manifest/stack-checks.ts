// Rules of the SPEC §8 fields that the schema cannot express: which health kinds and strategies
// go with a port, volumes that are unique and safe to share, reserved labels, repeated names.
// Pure; dependsOn across files (unknown names, cycles) is checked in load.ts.
import { posix } from 'node:path';
import { hostPathProblem } from './host-paths.js';
import type { PathSegment } from './locate.js';
import type { ManifestSpec, ServiceManifest } from './manifest.gen.js';
import type { Problem } from './problem.js';
import { parseMemory } from './quantities.js';
import type { Strategy } from './service-spec.js';

/** What the loader is told by the operator's environment. */
export interface LoadOptions {
  /** Absolute folders under which `hostPath` volumes are allowed (DSR_HOST_PATHS); none = every hostPath is refused. */
  hostPathRoots?: readonly string[];
}

/** The strategy a spec runs: as written, else Canary with a port and Rolling without. */
export function effectiveStrategy(spec: Pick<ManifestSpec, 'strategy' | 'port'>): Strategy {
  return spec.strategy ?? (spec.port === undefined ? 'Rolling' : 'Canary');
}

function healthProblems(spec: ManifestSpec): Problem[] {
  const h = spec.health;
  if (!h) return [];
  const kinds = (['path', 'tcp', 'exec'] as const).filter((k) => h[k] !== undefined);
  if (kinds.length > 1) {
    return [{ path: ['spec', 'health', kinds[1]!], message: `a health check has exactly one kind, got ${kinds.join(' and ')}: keep one of path (HTTP), tcp or exec` }];
  }
  const kind = kinds[0];
  if ((kind === 'path' || kind === 'tcp') && spec.port === undefined) {
    const what = kind === 'path' ? 'an HTTP check' : 'a TCP check';
    return [{ path: ['spec', 'health', kind], message: `${what} needs spec.port; add the port the container listens on, or use exec (a command run in the container), or leave the kind out for a worker (healthy once running for startPeriod)` }];
  }
  return [];
}

function strategyProblems(spec: ManifestSpec): Problem[] {
  const strategy = effectiveStrategy(spec);
  const problems: Problem[] = [];
  if (strategy === 'Canary' && spec.port === undefined) {
    problems.push({ path: ['spec', 'strategy'], message: 'Canary moves traffic step by step, and a service without a port gets no traffic: add spec.port, or use Rolling or Recreate' });
  }
  if (strategy === 'Recreate' && spec.versions.length > 1) {
    problems.push({ path: ['spec', 'strategy'], message: `Recreate runs one version at a time, and this service declares ${spec.versions.length} (a static split runs them together): keep one version, or use Rolling` });
  }
  if (strategy !== 'Canary') {
    for (const key of ['steps', 'analysis'] as const) {
      if (spec.rollout?.[key] !== undefined) {
        problems.push({ path: ['spec', 'rollout', key], message: `only the Canary strategy walks rollout ${key}, and this service uses ${strategy}: remove rollout.${key} (rollout.progressDeadline still bounds the new instances' health)` });
      }
    }
  }
  if (spec.port === undefined && spec.gateway !== undefined) {
    problems.push({ path: ['spec', 'gateway'], message: 'a service without a port has no gateway route: remove spec.gateway, or add spec.port' });
  }
  return problems;
}

function mountPathProblem(mountPath: string): string | null {
  if (!mountPath.startsWith('/')) return `must be an absolute path inside the container (starting with "/"), got ${JSON.stringify(mountPath)}`;
  if (mountPath.includes('\0')) return 'contains a NUL character; remove it';
  if (mountPath.split('/').some((seg) => seg === '..' || seg === '.')) return `must not contain "." or ".." segments, got ${JSON.stringify(mountPath)}: write the folder it means`;
  if (posix.normalize(mountPath) === '/') return 'cannot be "/": mount the volume on a folder (e.g. /data)';
  return null;
}

function totalReplicas(spec: ManifestSpec): number {
  return spec.versions.reduce((sum, v) => sum + (v.replicas ?? 1), 0);
}

function volumeProblems(spec: ManifestSpec, roots: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const mounts = new Map<string, number>();
  const strategy = effectiveStrategy(spec);
  (spec.volumes ?? []).forEach((v, i) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['spec', 'volumes', i, ...rest];
    if ((v.name === undefined) === (v.hostPath === undefined)) {
      problems.push({ path: at(), message: 'a volume has exactly one of name (a DSR-owned named volume) or hostPath (a host folder)' });
      return;
    }
    const mountProblem = mountPathProblem(v.mountPath);
    if (mountProblem) problems.push({ path: at('mountPath'), message: mountProblem });
    else {
      const key = posix.normalize(v.mountPath).replace(/\/+$/, '');
      const first = mounts.get(key);
      if (first === undefined) mounts.set(key, i);
      else problems.push({ path: at('mountPath'), message: `mountPath ${key} is already used by spec.volumes[${first}]; each volume needs its own mountPath` });
    }
    if (v.hostPath !== undefined) {
      const message = hostPathProblem(v.hostPath, roots);
      if (message) problems.push({ path: at('hostPath'), message });
      if (v.shared !== undefined) problems.push({ path: at('shared'), message: 'shared applies to named volumes only (DSR never checks who writes a host folder): remove it' });
      return;
    }
    const name = v.name!;
    const first = names.get(name);
    if (first === undefined) names.set(name, i);
    else problems.push({ path: at('name'), message: `duplicate volume name "${name}" (also spec.volumes[${first}]); volume names must be unique within a service` });
    if (v.readOnly === true || v.shared === true) return;
    const together = strategy !== 'Recreate'
      ? `the ${strategy} strategy runs old and new instances together`
      : totalReplicas(spec) > 1 ? `${totalReplicas(spec)} replicas run together` : null;
    if (together) {
      problems.push({ path: at('name'), message: `read-write volume "${name}" would be written by several containers at once (${together}): use strategy: Recreate with one replica, set readOnly: true, or set shared: true if the application supports concurrent writers` });
    }
  });
  return problems;
}

function resourceProblems(spec: ManifestSpec): Problem[] {
  const memory = spec.resources?.memory;
  if (memory === undefined) return [];
  const parsed = parseMemory(memory);
  return parsed.ok ? [] : [{ path: ['spec', 'resources', 'memory'], message: parsed.message }];
}

function repeated(list: readonly string[] | undefined, field: 'secrets' | 'dependsOn', what: string): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  (list ?? []).forEach((name, i) => {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else problems.push({ path: ['spec', field, i], message: `${what} "${name}" is listed twice (also spec.${field}[${first}]); remove one` });
  });
  return problems;
}

function dependencyProblems(m: ServiceManifest): Problem[] {
  const problems = repeated(m.spec.dependsOn, 'dependsOn', 'service');
  (m.spec.dependsOn ?? []).forEach((name, i) => {
    if (name === m.metadata.name) problems.push({ path: ['spec', 'dependsOn', i], message: `a service cannot depend on itself ("${name}"): remove it` });
  });
  return problems;
}

function labelProblems(spec: ManifestSpec): Problem[] {
  return Object.keys(spec.labels ?? {})
    .filter((key) => key.toLowerCase().startsWith('dsr.'))
    .map((key) => ({ path: ['spec', 'labels', key], at: 'key' as const, message: `labels starting with "dsr." are reserved for DSR's own labels: rename "${key}" (e.g. "app.${key.slice(4)}")` }));
}

/** Problems of the §8 fields; empty when the manifest uses none of them or uses them well. */
export function stackProblems(m: ServiceManifest, options: LoadOptions = {}): Problem[] {
  const spec = m.spec;
  return [
    ...healthProblems(spec),
    ...strategyProblems(spec),
    ...volumeProblems(spec, options.hostPathRoots ?? []),
    ...resourceProblems(spec),
    ...repeated(spec.secrets, 'secrets', 'secret'),
    ...dependencyProblems(m),
    ...labelProblems(spec),
  ];
}
