// What DSR observes of a Swarm service: one service per DSR version, one DSR instance per task
// slot (see swarm-runtime.ts), its id the id of the task that stands for the slot now. Pure:
// list() calls this for every service on every pass from one services call and one tasks call.
import { LABELS } from '../docker/labels.js';
import type { Address, ContainerState, ObservedContainer } from '../runtime/runtime.js';

/** The fields of a `GET /tasks` entry this module reads. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  /** The node the task was scheduled on (absent before scheduling). */
  NodeID?: string;
  /** The task's slot in its replicated service (1, 2, …): the DSR instance's index. */
  Slot?: number;
  CreatedAt: string;
  DesiredState: string;
  Status: { State: string; Timestamp?: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  NetworksAttachments?: Array<{ Network?: { Spec?: { Name?: string } }; Addresses?: string[] }>;
  /** The task's own spec: its Command is the secrets' wrapper when the service has secrets (secret-entry.ts). */
  Spec?: { ContainerSpec?: { Command?: string[] } };
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

/** Desired states of a task Swarm means to run; beyond them (shutdown, remove) it is on its way out. */
const DESIRED_LIVE = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

/** How soon after its predecessor ended a task counts as Swarm's restart of it (created at once, started after the delay). */
const RESTART_WINDOW_MS = 10_000;

/** What stands for one slot now: the task whose id is the instance's, and the state DSR sees. */
export interface SlotView {
  task: SwarmTask;
  state: ContainerState;
  exitCode: number | null;
}

/**
 * The instance a slot's tasks stand for (Swarm keeps a few ended tasks per slot as history):
 * - the newest task Swarm means to run (desired state up to running), in its own state, except
 *   one that is Swarm's restart of a crash waiting for the restart delay: then the crashed task
 *   stands for the slot (`exited` with its exit code, under its id, which its events carry), so
 *   DSR replaces it at once, as on Docker;
 * - else (every task on its way out) the newest: `removing` when a scale-down takes it, else ended;
 * - null for no tasks.
 */
export function slotView(tasks: SwarmTask[]): SlotView | null {
  const newestFirst = [...tasks].sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt));
  const live = newestFirst.find((t) => DESIRED_LIVE.has(t.DesiredState.toLowerCase()));
  if (live) {
    const state = taskState(live.Status.State);
    const before = newestFirst[newestFirst.indexOf(live) + 1];
    if (state === 'created' && before && isRestartOf(live, before)) return { task: before, state: 'exited', exitCode: exitCodeOf(before) };
    return { task: live, state, exitCode: state === 'exited' || state === 'dead' ? exitCodeOf(live) : null };
  }
  const newest = newestFirst[0];
  if (!newest) return null;
  if (newest.DesiredState.toLowerCase() === 'remove') return { task: newest, state: 'removing', exitCode: null };
  const state = taskState(newest.Status.State);
  return { task: newest, state: state === 'running' || state === 'created' ? 'exited' : state, exitCode: exitCodeOf(newest) };
}

/** Whether `task` is Swarm's restart of `before`: `before` ended and was shut down (not removed) just before `task` was made. */
function isRestartOf(task: SwarmTask, before: SwarmTask): boolean {
  const ended = taskState(before.Status.State);
  if ((ended !== 'exited' && ended !== 'dead') || before.DesiredState.toLowerCase() !== 'shutdown') return false;
  const endedAt = Date.parse(before.Status.Timestamp ?? before.CreatedAt);
  return Date.parse(task.CreatedAt) - endedAt <= RESTART_WINDOW_MS;
}

function exitCodeOf(task: SwarmTask): number | null {
  const code = task.Status.ContainerStatus?.ExitCode;
  return typeof code === 'number' ? code : null;
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

/** What a version service's DSR labels say, or null when they are missing or malformed (not DSR's, or damaged). */
export interface VersionIdentity {
  service: string;
  version: string;
  specHash: string;
  /** null for a worker (no port, SPEC §8): running, with no address to route or probe. */
  port: number | null;
}

export function versionIdentity(service: SwarmService): VersionIdentity | null {
  const labels = service.Spec.Labels ?? {};
  const version = labels[LABELS.version];
  const specHash = labels[LABELS.specHash];
  const svc = labels[LABELS.service];
  const portLabel = labels[LABELS.port];
  const port = portLabel === '' ? null : Number(portLabel);
  if (!svc || !version || !specHash || portLabel === undefined || (port !== null && (!Number.isInteger(port) || port <= 0))) return null;
  return { service: svc, version, specHash, port };
}

/** The DSR instance name of a slot: `dsr-web-v2.1`, as Swarm names the slot's containers (`<service>.<slot>.<task id>`). */
export function slotName(serviceName: string, slot: number): string {
  return `${serviceName}.${slot}`;
}

/**
 * One version service and its tasks as ObservedContainers, one per slot, sorted by slot; [] when
 * its DSR labels are missing or malformed. A slot's id is the id of the task standing for it
 * (slotView), so a task Swarm or DSR replaces is a new instance, as a replaced container is.
 */
export function toObserved(service: SwarmService, tasks: SwarmTask[], network: string): ObservedContainer[] {
  const identity = versionIdentity(service);
  if (!identity) return [];
  const bySlot = new Map<number, SwarmTask[]>();
  for (const t of tasks) {
    if (t.ServiceID !== service.ID || !Number.isInteger(t.Slot) || (t.Slot ?? 0) <= 0) continue;
    const slot = t.Slot as number;
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), t]);
  }
  const out: ObservedContainer[] = [];
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const view = slotView(bySlot.get(slot) ?? []);
    if (!view) continue;
    out.push({
      id: view.task.ID,
      name: slotName(service.Spec.Name, slot),
      service: identity.service,
      version: identity.version,
      index: slot,
      specHash: identity.specHash,
      state: view.state,
      createdAt: new Date(view.task.CreatedAt).toISOString(),
      exitCode: view.exitCode,
      address: view.state === 'running' && identity.port !== null ? taskAddress(view.task, network, identity.port) : null,
      image: specImage(service),
    });
  }
  return out;
}
