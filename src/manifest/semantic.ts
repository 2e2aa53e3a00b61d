// Rules the schema cannot express, checked once a document matches it: weights that add up,
// unique version names, durations within timer range, strings the Docker engine refuses.
// Nothing else: everything the schema can say, it says, so the docs generated from it stay
// complete. (A pattern could forbid NUL, but the schema gives a field one message for all its
// rules, and this one must say where in the value the character is.)
import { durationMs } from './duration.js';
import { MAX_DURATION_MS } from './limits.js';
import type { PathSegment } from './locate.js';
import type { ServiceManifest } from './manifest.gen.js';
import type { Problem } from './problem.js';
import { stackProblems } from './stack-checks.js';
import type { LoadOptions } from './stack-checks.js';

/** Every duration field of a manifest that is present, with its path. */
export function durationFields(m: ServiceManifest): Array<{ path: PathSegment[]; value: string }> {
  const out: Array<{ path: PathSegment[]; value: string }> = [];
  const add = (path: PathSegment[], value: unknown): void => {
    if (typeof value === 'string') out.push({ path, value });
  };
  const { health, rollout } = m.spec;
  for (const key of ['interval', 'timeout', 'startPeriod'] as const) add(['spec', 'health', key], health?.[key]);
  for (const key of ['interval', 'maxLatencyP99', 'inconclusiveDeadline'] as const) add(['spec', 'rollout', 'analysis', key], rollout?.analysis?.[key]);
  add(['spec', 'rollout', 'progressDeadline'], rollout?.progressDeadline);
  add(['spec', 'stopGracePeriod'], m.spec.stopGracePeriod);
  rollout?.steps?.forEach((step, i) => add(['spec', 'rollout', 'steps', i, 'pause'], step.pause));
  return out;
}

function weightProblems(m: ServiceManifest): Problem[] {
  const versions = m.spec.versions;
  if (versions.length === 1) {
    const weight = versions[0].weight;
    if (weight === undefined || weight === 100) return [];
    const message = `a single version takes all traffic: leave weight out or set it to 100, got ${weight}`;
    return [{ path: ['spec', 'versions', 0, 'weight'], message }];
  }
  const missing = versions.flatMap((v, i): Problem[] =>
    v.weight === undefined
      ? [{ path: ['spec', 'versions', i, 'weight'], locateAt: ['spec', 'versions', i], message: `required when a service has several versions (weights must sum to 100)` }]
      : [],
  );
  if (missing.length > 0) return missing;
  const sum = versions.reduce((s, v) => s + (v.weight ?? 0), 0);
  if (sum === 100) return [];
  const parts = versions.map((v) => `${v.name}: ${v.weight}`).join(', ');
  return [{ path: ['spec', 'versions'], message: `weights must sum to 100, got ${sum} (${parts})` }];
}

function versionNameProblems(m: ServiceManifest): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  m.spec.versions.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first === undefined) seen.set(v.name, i);
    else problems.push({ path: ['spec', 'versions', i, 'name'], message: `duplicate version name "${v.name}" (also spec.versions[${first}]); version names must be unique within a service` });
  });
  return problems;
}

function durationProblems(m: ServiceManifest): Problem[] {
  return durationFields(m)
    .filter((f) => durationMs(f.value) > MAX_DURATION_MS)
    .map((f) => ({ path: f.path, message: `must be at most 24h, got "${f.value}"` }));
}

/**
 * Characters the engine refuses in env values and command arguments: only NUL, since the
 * environment and argv reach execve as C strings (runc refuses such an env; such a command fails
 * at exec). Containers start with every other control character (tried on Docker 20.10: \x01, \t,
 * \n, \x1b, \x7f), so they stay allowed. Env names are limited by the schema's pattern.
 */
function refusedCharacter(value: string): string | null {
  const at = value.indexOf('\0');
  return at < 0 ? null : `contains a NUL character (written "\\0" or "\\x00" in YAML) at character ${at + 1}: the Docker engine refuses to start a container with one; remove it`;
}

function stringProblems(m: ServiceManifest): Problem[] {
  const problems: Problem[] = [];
  m.spec.versions.forEach((v, i) => {
    for (const [key, value] of Object.entries(v.env ?? {})) {
      const message = value === undefined ? null : refusedCharacter(value);
      if (message) problems.push({ path: ['spec', 'versions', i, 'env', key], message });
    }
    v.command?.forEach((arg, j) => {
      const message = refusedCharacter(arg);
      if (message) problems.push({ path: ['spec', 'versions', i, 'command', j], message });
    });
  });
  m.spec.health?.exec?.forEach((arg, j) => {
    const message = refusedCharacter(arg);
    if (message) problems.push({ path: ['spec', 'health', 'exec', j], message });
  });
  return problems;
}

/** Problems the schema cannot see; empty when the manifest is valid. */
export function semanticProblems(m: ServiceManifest, options: LoadOptions = {}): Problem[] {
  return [...weightProblems(m), ...versionNameProblems(m), ...durationProblems(m), ...stringProblems(m), ...stackProblems(m, options)];
}
