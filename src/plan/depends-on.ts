// Start order (SPEC §8 `spec.dependsOn`): new instances of a service are created only once every
// service it lists has a healthy instance. Pure. Only creations wait: removals, drains and
// replacements of what must go never do, so a dependency that is down can never keep a broken
// or removed instance of the dependent around.
import type { Action } from './actions.js';
import type { InstanceHealth } from '../health/thresholds.js';
import type { ObservedContainer } from '../runtime/runtime.js';

/** Whether a service's creations may run, and if not what they wait for. */
export type DependencyGate = { open: true } | { open: false; waitingFor: string[]; message: string };

/**
 * The gate for a service listing `dependsOn`, given how many healthy instances each service has.
 * Example: dependsOn [db, cache], db 0 healthy, cache 2 → closed, `waiting for db: no healthy instance`.
 */
export function dependencyGate(dependsOn: readonly string[], healthyInstances: (service: string) => number): DependencyGate {
  const waitingFor = dependsOn.filter((name) => healthyInstances(name) === 0);
  if (waitingFor.length === 0) return { open: true };
  return { open: false, waitingFor, message: `waiting for ${waitingFor.join(', ')}: no healthy instance` };
}

/**
 * Healthy instances per service: running, judged healthy, and not being removed. A DSR that does
 * not probe (`dsr plan`) passes `health` undefined and counts running instances instead.
 */
export function healthyCounts(
  observed: readonly ObservedContainer[],
  health: ReadonlyMap<string, InstanceHealth> | undefined,
  leaving: ReadonlySet<string> = new Set(),
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of observed) {
    if (c.state !== 'running' || leaving.has(c.id)) continue;
    if (health && health.get(c.id) !== 'healthy') continue;
    counts.set(c.service, (counts.get(c.service) ?? 0) + 1);
  }
  return counts;
}

/** A service whose creations wait this pass, and why. */
export interface HeldService {
  service: string;
  waitingFor: string[];
  message: string;
  held: number;
}

/**
 * The gate applied to a whole plan, as `dsr run` and `dsr plan` both do: for each service with
 * dependencies and creations pending, creations are held while the gate is closed.
 * `dependsOn(name)` lists a service's dependencies ([] for none or unknown).
 */
export function holdForDependencies(
  actions: readonly Action[],
  dependsOn: (service: string) => readonly string[],
  healthy: ReadonlyMap<string, number>,
): { actions: Action[]; held: HeldService[] } {
  const held: HeldService[] = [];
  const closed = new Set<string>();
  for (const service of new Set(actions.filter((a) => a.type === 'create').map((a) => a.service))) {
    const gate = dependencyGate(dependsOn(service), (name) => healthy.get(name) ?? 0);
    if (gate.open) continue;
    closed.add(service);
    held.push({ service, waitingFor: gate.waitingFor, message: gate.message, held: actions.filter((a) => a.type === 'create' && a.service === service).length });
  }
  return { actions: actions.filter((a) => a.type !== 'create' || !closed.has(a.service)), held };
}
