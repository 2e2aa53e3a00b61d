// What DSR observes of a Swarm service: one DSR instance is one service (see swarm-runtime.ts),
// its state is the state of the task that stands for it now. Pure: list() calls this for every
// service on every pass from one services call and one tasks call.
import { LABELS } from '../docker/labels.js';
import type { Address, ContainerState, ObservedContainer } from '../runtime/runtime.js';

/** The fields of a `GET /tasks` entry this module reads. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  /** The node the task was scheduled on (absent before scheduling). */
  NodeID?: string;
  CreatedAt: string;
  DesiredState: string;
  Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  NetworksAttachments?: Array<{ Network?: { Spec?: { Name?: string } }; Addresses?: string[] }>;
}

/** The fields of a `GET /services` entry this module reads. */
export interface SwarmService {
  ID: string;
  CreatedAt: string;
  Version: { Index: number };
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number } };
    TaskTemplate?: { ContainerSpec?: { Image?: string } };
  };
}

/**
 * Swarm task state → ContainerState. Everything before the container runs is 'created'; a task
 * whose container ended (complete, failed, shutdown) is 'exited'; one that never got a container
 * (rejected: e.g. the image is missing on its node) or lost its node (orphaned) is 'dead', so
 * DSR replaces it; unknown states (newer engines) are 'dead' too.
 */
const TASK_STATES: Readonly<Record<string, ContainerState>> = {
  new: 'created',
  allocated: 'created',
  pending: 'created',
  assigned: 'created',
  accepted: 'created',
  preparing: 'created',
  ready: 'created',
  starting: 'created',
  running: 'running',
  complete: 'exited',
  shutdown: 'exited',
  failed: 'exited',
  rejected: 'dead',
  orphaned: 'dead',
  remove: 'removing',
};

/** A task's Status.State as a ContainerState. */
export function taskState(state: string): ContainerState {
  return TASK_STATES[state.toLowerCase()] ?? 'dead';
}

/**
 * The task that stands for the instance now, among one service's tasks: the newest running one;
 * else the newest that has ended (so a crash reads as `exited (1)` during Swarm's restart delay,
 * while its replacement is still being prepared); else the newest; null when there is none.
 */
export function currentTask(tasks: SwarmTask[]): SwarmTask | null {
  const newestFirst = [...tasks].sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt));
  const byState = (states: ContainerState[]): SwarmTask | undefined => newestFirst.find((t) => states.includes(taskState(t.Status.State)));
  return byState(['running']) ?? byState(['exited', 'dead']) ?? newestFirst[0] ?? null;
}

/** The task's IP on `network` with the instance's port: `10.0.1.5/24` → `{ host: '10.0.1.5', port }`. */
export function taskAddress(task: SwarmTask, network: string, port: number): Address | null {
  const attachment = task.NetworksAttachments?.find((a) => a.Network?.Spec?.Name === network);
  const ip = attachment?.Addresses?.[0]?.split('/')[0];
  return ip ? { host: ip, port } : null;
}

/** The image as DSR wrote it: the engine may pin a digest (`web:v1@sha256:…`). */
export function specImage(service: SwarmService): string {
  return (service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, '');
}

/**
 * One service and its tasks as an ObservedContainer whose id is the service's (stable across
 * Swarm's restarts), or null when its DSR labels are missing or malformed. A service scaled to 0
 * is its last task's state, 'exited' once that task is gone, always with exit code null.
 */
export function toObserved(service: SwarmService, tasks: SwarmTask[], network: string): ObservedContainer | null {
  const labels = service.Spec.Labels ?? {};
  const name = service.Spec.Name;
  const version = labels[LABELS.version];
  const hash = labels[LABELS.specHash];
  const svc = labels[LABELS.service];
  const index = Number(labels[LABELS.instance]);
  // "" marks a worker (no port, SPEC §8): running, but with no address to route or probe.
  const portLabel = labels[LABELS.port];
  const port = portLabel === '' ? null : Number(portLabel);
  if (!svc || !version || !hash || !Number.isInteger(index) || portLabel === undefined || (port !== null && (!Number.isInteger(port) || port <= 0))) return null;
  const replicas = service.Spec.Mode?.Replicated?.Replicas ?? 0;
  // Tasks a scale-down is taking away (desired state 'remove') are history once the service runs again.
  const task = currentTask(replicas > 0 ? tasks.filter((t) => t.DesiredState !== 'remove') : tasks);
  const state: ContainerState = task ? taskState(task.Status.State) : replicas > 0 ? 'created' : 'exited';
  const ended = state === 'exited' || state === 'dead';
  // Stopped (scaled to 0): Swarm deletes the ended task soon, so its exit code is never reported,
  // rather than reported for a moment and then not (the contract's exitCodeAfterStop).
  const code = replicas > 0 ? task?.Status.ContainerStatus?.ExitCode : undefined;
  return {
    id: service.ID,
    name,
    service: svc,
    version,
    index,
    specHash: hash,
    state,
    createdAt: new Date(service.CreatedAt).toISOString(),
    exitCode: ended && typeof code === 'number' ? code : null,
    address: state === 'running' && task && port !== null ? taskAddress(task, network, port) : null,
    image: specImage(service),
  };
}
