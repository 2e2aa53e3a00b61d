// Swarm instances through the engine's container events. A task's container carries the DSR
// labels (the service spec copies them onto its ContainerSpec) and the id of its task, which is
// the instance id DSR knows (one instance per task slot, tasks.ts); so the container event is
// reported under the task's id.
//
// An engine reports container events of its own node only. On one node that is every instance;
// on a cluster, tasks on other nodes change unseen until the controller's periodic resync (30 s)
// re-lists them (docs/swarm.md). Swarm's own `service` events carry no DSR labels and no task
// state, so they add nothing that list() does not already read.
import { toRuntimeEvent } from '../docker/event-stream.js';
import type { RuntimeEvent } from '../runtime/runtime.js';

/** The label Swarm puts on a task's container naming its task. */
export const TASK_ID_LABEL = 'com.docker.swarm.task.id';

/** A container event of a task as an event of its instance (the task), or null. */
export function toSwarmEvent(raw: unknown): RuntimeEvent | null {
  const event = toRuntimeEvent(raw);
  if (!event || event.type !== 'container') return event;
  const attrs = (raw as { Actor?: { Attributes?: Record<string, unknown> } }).Actor?.Attributes ?? {};
  const taskId = attrs[TASK_ID_LABEL];
  return typeof taskId === 'string' && taskId ? { ...event, containerId: taskId } : null;
}
