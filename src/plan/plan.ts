// The planner: a pure function from desired state, observed containers, instance health and
// back-off to the ordered actions that move Docker one step closer to the desired state.
// No Docker, clock or I/O here; `now` is an input. Running it twice on the same world gives the
// same plan, and applying a plan then planning again on the result gives an empty one.
import type { ObservedContainer } from '../runtime/runtime.js';
import type { InstanceHealth } from '../health/thresholds.js';
import type { BackoffState } from '../health/backoff.js';
import { canAttempt, recordFailure } from '../health/backoff.js';
import type { Action, CreateAction, RemoveAction } from './actions.js';
import type { DesiredService, DesiredVersion } from './wanted.js';
import { DEFAULT_STOP_GRACE_PERIOD_MS } from '../manifest/defaults.js';

export interface PlanInput {
  /** Services that must run (for a broken manifest file: its last valid state). */
  services: readonly DesiredService[];
  /** Services to leave exactly as they are this pass (declared by a broken file, no valid state known). */
  frozen: ReadonlySet<string>;
  observed: readonly ObservedContainer[];
  /** Health by container id; an instance missing here counts as 'starting'. */
  health: ReadonlyMap<string, InstanceHealth>;
  /** Replacement back-off by `service/version`. */
  backoff: ReadonlyMap<string, BackoffState>;
  /** Whether containers of services no longer declared may be removed (see guard.ts). */
  prune: boolean;
  /** Grace period of the removal of a service no longer declared (its last known one); default 10 s. */
  pruneGracePeriodMs?: number;
  now: number;
}

/** A version that needs instances but must wait for its back-off to expire. */
export interface Waiting {
  service: string;
  version: string;
  until: number;
  reason: string;
}

export interface Plan {
  actions: Action[];
  waiting: Waiting[];
}

/** States in which a container is (or may soon be) serving, and so counts toward replicas. */
const ALIVE = new Set(['running', 'paused', 'restarting']);

/** Key of a (service, version) pair in the replacement back-off map (see health/backoff.ts). */
export function backoffKey(service: string, version: string): string {
  return `${service}/${version}`;
}

/** Computes the actions for every service in the input; removals of a version come before its creations. */
export function plan(input: PlanInput): Plan {
  const result: Plan = { actions: [], waiting: [] };
  const byService = groupBy(input.observed, (c) => c.service);
  const declared = new Set(input.services.map((s) => s.name));

  for (const service of input.services) {
    if (input.frozen.has(service.name)) continue;
    planService(service, byService.get(service.name) ?? [], input, result);
  }
  if (input.prune) {
    for (const [name, containers] of byService) {
      if (declared.has(name) || input.frozen.has(name)) continue;
      const grace = input.pruneGracePeriodMs ?? DEFAULT_STOP_GRACE_PERIOD_MS;
      for (const c of containers) {
        if (c.state !== 'removing') result.actions.push(remove(c, grace, false, 'service no longer declared in the manifests'));
      }
    }
  }
  return result;
}

function planService(service: DesiredService, containers: ObservedContainer[], input: PlanInput, out: Plan): void {
  const wanted = new Set(service.versions.map((v) => v.name));
  for (const c of containers) {
    if (!wanted.has(c.version) && c.state !== 'removing') out.actions.push(remove(c, service.stopGracePeriodMs, false, `version ${c.version} is no longer declared`));
  }
  for (const version of service.versions) {
    planVersion(service, version, containers.filter((c) => c.version === version.name), input, out);
  }
}

function planVersion(
  service: DesiredService,
  version: DesiredVersion,
  containers: ObservedContainer[],
  input: PlanInput,
  out: Plan,
): void {
  const health = (c: ObservedContainer): InstanceHealth => input.health.get(c.id) ?? 'starting';
  const grace = service.stopGracePeriodMs;
  const removals: RemoveAction[] = [];
  const key = backoffKey(service.name, version.name);
  // A failure counts toward back-off only if the container was started after the last counted
  // failure: instances that were already running when an incident began (a `docker stop` of all
  // of them) are that same incident, while a replacement that dies again escalates it. Docker
  // reports creation times in whole seconds, hence the one-second slack.
  const lastFailureAt = input.backoff.get(key)?.lastFailureAt ?? null;
  const incident = (c: ObservedContainer): boolean => lastFailureAt === null || Date.parse(c.createdAt) >= lastFailureAt - 1000;
  const live: ObservedContainer[] = [];
  const stale: ObservedContainer[] = [];
  const exited: ObservedContainer[] = [];

  for (const c of containers) {
    if (c.state === 'removing') continue;
    const current = c.specHash === version.specHash;
    if (!ALIVE.has(c.state)) {
      exited.push(c);
    } else if (health(c) === 'unhealthy') {
      removals.push(remove(c, grace, current, 'failed its health checks', current && incident(c)));
    } else if (current) {
      live.push(c);
    } else {
      stale.push(c);
    }
  }

  // An exited container is a failure only while its version lacks running instances. One that
  // exited while enough others run was not needed: typically a drained instance that DSR had
  // already stopped when it was restarted before removing it. It is removed without counting.
  const needed = live.length < version.replicas;
  removals.unshift(...exited.map((c) => {
    const how = `container ${c.exitCode === null ? c.state : `exited with code ${c.exitCode}`}`;
    const current = c.specHash === version.specHash;
    if (!current) return remove(c, grace, false, how);
    return needed
      ? remove(c, grace, true, how, incident(c))
      : remove(c, grace, false, `${how}; not needed (${live.length} of ${version.replicas} running)`);
  }));

  // Too many: drop the least useful first (not yet healthy, then the highest index).
  if (live.length > version.replicas) {
    const ranked = [...live].sort((a, b) => rank(health(a)) - rank(health(b)) || b.index - a.index);
    for (const c of ranked.slice(0, live.length - version.replicas)) {
      removals.push(remove(c, grace, false, `scale down to ${version.replicas} replica${version.replicas === 1 ? '' : 's'}`));
    }
  }
  const kept = live.filter((c) => !removals.some((r) => r.containerId === c.id));

  // Containers of an outdated spec keep serving until enough new ones are healthy (surge, no gap).
  const healthyNew = kept.filter((c) => health(c) === 'healthy').length;
  if (stale.length > 0 && healthyNew >= version.replicas) {
    for (const c of stale) removals.push(remove(c, grace, false, 'its spec changed; replaced by an instance of the new spec'));
  }
  out.actions.push(...removals);
  const missing = version.replicas - kept.length;
  if (missing <= 0) return;

  const failedNow = removals.some((r) => r.newIncident);
  // The failure this pass removes counts already: the controller records it once applied.
  const backoff = failedNow ? recordFailure(input.backoff.get(key), input.now) : input.backoff.get(key);
  const replacement = removals.some((r) => r.failure) || (backoff?.failures ?? 0) > 0;
  if (replacement && !canAttempt(backoff, input.now)) {
    out.waiting.push({
      service: service.name,
      version: version.name,
      until: backoff?.nextAttemptAt ?? input.now,
      reason: `replacement of ${missing} instance${missing === 1 ? '' : 's'} backed off after ${backoff?.failures ?? 0} failures`,
    });
    return;
  }
  // Names stay taken until removed; a container removed above frees its index for reuse.
  const used = new Set(containers.filter((c) => !removals.some((r) => r.containerId === c.id)).map((c) => c.index));
  const reason = kept.length === 0 && !replacement
    ? `start ${version.replicas} replica${version.replicas === 1 ? '' : 's'}`
    : replacement
      ? `replace a failed instance (${kept.length} of ${version.replicas} running)`
      : `scale up to ${version.replicas} replicas (${kept.length} running)`;
  for (let index = 1, created = 0; created < missing; index++) {
    if (used.has(index)) continue;
    out.actions.push(create(service, version, index, replacement, reason));
    created++;
  }
}

function rank(h: InstanceHealth): number {
  return h === 'healthy' ? 1 : 0;
}

function create(service: DesiredService, version: DesiredVersion, index: number, replacement: boolean, reason: string): CreateAction {
  return {
    type: 'create',
    service: service.name,
    version: version.name,
    replacement,
    reason,
    instance: { service: service.name, version: version.name, index, template: version.template, specHash: version.specHash },
  };
}

function remove(c: ObservedContainer, gracePeriodMs: number, failure: boolean, reason: string, newIncident = false): RemoveAction {
  // Only a container that may be serving (or may start serving again) has anything to drain or stop.
  const graceful = ALIVE.has(c.state) ? gracePeriodMs : null;
  return { type: 'remove', service: c.service, version: c.version, containerId: c.id, name: c.name, failure, newIncident, gracePeriodMs: graceful, reason };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
