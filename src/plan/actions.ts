// What a reconcile pass may do to Docker. The planner produces these; the controller applies
// them in order and records each as an event with its reason.
import type { InstanceSpec } from '../runtime/runtime.js';

/** Start a new instance. `replacement` marks one that stands in for a failed instance (back-off applies). */
export interface CreateAction {
  type: 'create';
  service: string;
  version: string;
  instance: InstanceSpec;
  replacement: boolean;
  reason: string;
}

/**
 * Remove a container DSR owns. `failure` marks a dead or unhealthy instance; `newIncident` marks a
 * failure that counts toward the version's back-off (see plan.ts). A container that may be serving
 * is drained first (see drain.ts): out of the routes, its requests in flight finish, SIGTERM, then
 * removal; `gracePeriodMs` bounds each wait, and is null for a container that is not running.
 */
export interface RemoveAction {
  type: 'remove';
  service: string;
  version: string;
  containerId: string;
  name: string;
  failure: boolean;
  newIncident: boolean;
  gracePeriodMs: number | null;
  reason: string;
}

export type Action = CreateAction | RemoveAction;

/** Renders an action for `dsr plan` and event messages. */
export function describeAction(action: Action): string {
  return action.type === 'create'
    ? `create ${action.service}/${action.version}#${action.instance.index} (${action.instance.template.image}): ${action.reason}`
    : `remove ${action.name}: ${action.reason}`;
}
