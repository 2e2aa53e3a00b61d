// `spec.dependsOn` across the whole folder (SPEC §8): every name must be a declared service and
// the graph must have no cycle (a cycle would hold every service in it forever). Pure.
import type { DeclaredDependency } from './load-file.js';

/** A dependsOn entry that is wrong, with the message to show at its position. */
export interface DependencyProblem {
  dependency: DeclaredDependency;
  message: string;
}

/** A shortest path from `from` to `to` along `edges`, or null. */
function path(edges: Map<string, string[]>, from: string, to: string): string[] | null {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    if (at === to) {
      const out = [to];
      while (out[0] !== from) out.unshift(previous.get(out[0]!)!);
      return out;
    }
    for (const next of edges.get(at) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      queue.push(next);
    }
  }
  return null;
}

/**
 * Unknown names (`declared` holds every name any file declares, broken files included: their
 * services keep running at their last valid state) and the entries that close a cycle.
 * Example: web → api, api → web gives both entries the message "... cycle web → api → web".
 */
export function dependencyProblems(dependencies: readonly DeclaredDependency[], declared: ReadonlySet<string>): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const edges = new Map<string, string[]>();
  for (const d of dependencies) {
    if (d.service === d.target) continue; // reported by the file's own checks
    if (!declared.has(d.target)) {
      problems.push({ dependency: d, message: `no service named "${d.target}" is declared in the manifests folder; add its manifest or remove it from dependsOn` });
      continue;
    }
    edges.set(d.service, [...(edges.get(d.service) ?? []), d.target]);
  }
  for (const d of dependencies) {
    if (d.service === d.target || !declared.has(d.target)) continue;
    const back = path(edges, d.target, d.service);
    if (!back) continue;
    const cycle = [d.service, ...back].join(' → ');
    problems.push({ dependency: d, message: `dependsOn makes a cycle (${cycle}), so none of these services could ever start: remove one of the dependencies` });
  }
  return problems;
}
