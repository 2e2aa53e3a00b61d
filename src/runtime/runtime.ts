// The I/O boundary between DSR and the container engine. The core (controller, plan, rollout, API)
// sees only these types; DockerRuntime (src/docker/) implements them, FakeRuntime (here) for tests.
import type { ContainerTemplate } from '../template/container-template.js';

/** Where DSR reaches an instance's port. */
export interface Address {
  host: string;
  port: number;
}

/** Everything needed to create one instance container. */
export interface InstanceSpec {
  service: string;
  version: string;
  /** The n in `dsr-<service>-<version>-<n>`, from 1. */
  index: number;
  /** What the container is made of; only a runtime's create body reads it (Docker: container-config.ts). */
  template: ContainerTemplate;
  /** specHash() of the template, stored on the container. */
  specHash: string;
}

/** Docker's container states, as reported by the list endpoint. */
export type ContainerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing';

/** One DSR container as observed, read from its labels and Docker's list entry. */
export interface ObservedContainer {
  id: string;
  name: string;
  service: string;
  version: string;
  index: number;
  specHash: string;
  state: ContainerState;
  /** ISO 8601. */
  createdAt: string;
  /** Set once the container has exited (parsed from Docker's status text), else null. */
  exitCode: number | null;
  /** Where DSR reaches the instance's port; null when not running. */
  address: Address | null;
  image: string;
}

/** The most output exec() keeps: the last 4 KiB, enough for a check's reason, bounded whatever the command prints. */
export const EXEC_OUTPUT_LIMIT = 4096;

/** What a command run inside an instance ended with. */
export interface ExecResult {
  exitCode: number;
  /** The last EXEC_OUTPUT_LIMIT bytes of stdout and stderr, interleaved as they arrived (UTF-8, may start mid-character). */
  output: string;
}

/** Container lifecycle actions DSR listens to. */
export type ContainerAction = 'start' | 'die' | 'stop' | 'kill' | 'destroy' | 'oom' | 'create';

/** What events() reports: a container of this owner changed, or the stream went away or came back. */
export type RuntimeEvent =
  | { type: 'container'; action: ContainerAction; containerId: string; service: string; version: string }
  | { type: 'disconnected'; error: Error }
  | { type: 'connected' };

/** The container engine as DSR needs it. Every method throws DockerUnavailableError when the engine cannot be reached. */
export interface Runtime {
  /** Resolves when the engine answers. */
  ping(): Promise<void>;
  /** This owner's DSR containers, running or not, in one engine call. */
  list(): Promise<ObservedContainer[]>;
  /**
   * Creates and starts an instance. Idempotent: an existing container of that name with the same
   * spec hash is started and returned; a different hash (or a foreign container) throws ContainerConflictError.
   */
  create(spec: InstanceSpec): Promise<ObservedContainer>;
  /** Stops a container; already stopped or gone counts as success. */
  stop(id: string, timeoutSec?: number): Promise<void>;
  /** Force-removes a container; gone or already being removed counts as success. */
  remove(id: string): Promise<void>;
  /**
   * Runs `command` (argv, no shell) inside a running container and waits for it, at most
   * `timeoutMs`. A command the image lacks is an exit code (126 or 127 with the engine's message
   * in `output`), not an error. Throws ExecTimeoutError when it has not finished in time (the
   * engine cannot kill an exec: see the implementation for what happens to it) and
   * ContainerNotRunningError when the container is gone or stopped.
   */
  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /** Whether the image exists locally. */
  hasImage(image: string): Promise<boolean>;
  /** Pulls an image, reporting progress; throws ImagePullError with the registry's message. */
  pullImage(image: string, onProgress: (p: { status: string; detail?: string }) => void): Promise<void>;
  /**
   * Streams this owner's container events. Emits 'connected' whenever the stream is (re)established
   * (also the first time) and 'disconnected' once per outage, reconnecting with back-off (0.5 s
   * doubling to 30 s). Events during an outage are lost: resync on 'connected'. The returned
   * function stops it for good.
   */
  events(onEvent: (e: RuntimeEvent) => void): () => void;
}

/** One named volume of a service, as `dsr volumes` lists it. */
export interface VolumeInfo {
  service: string;
  /** The name in the manifest (`spec.volumes[].name`). */
  name: string;
  /** The engine's name: `dsr-<owner>-<service>-<name>`. */
  dockerName: string;
  /** ISO 8601, or null when the engine does not say. */
  createdAt: string | null;
  /** What mounts it, running or not: instance names (on Swarm, the instance a task stands for), or a foreign container's name. */
  usedBy: string[];
}

/**
 * The named volumes a runtime creates for instances (Runtime.create makes them, labelled, before
 * the container; Swarm makes them on the task's node). Kept apart from Runtime like LogReader, so
 * the controller's fakes need not implement it. Pruning a service never removes its volumes; only this does.
 */
export interface VolumeStore {
  /** This owner's named volumes, with the containers using each. */
  volumes(): Promise<VolumeInfo[]>;
  /** Removes a service's named volume; gone is success; VolumeInUseError while a container mounts it. */
  removeVolume(service: string, name: string): Promise<void>;
}

/** What to read of a container's log (LogReader.logs). */
export interface LogOptions {
  follow: boolean;
  /** Only lines written at or after this time (ms since the epoch; Docker's resolution is 1 s). */
  sinceMs?: number;
  /** Only the last N lines from before now, or 'all'. */
  tail: number | 'all';
  signal?: AbortSignal;
}

/** Reading instance logs: DockerRuntime implements it; kept apart from Runtime, which the controller's fakes implement. */
export interface LogReader {
  logs(id: string, options: LogOptions, onLine: (line: RawLogLine) => void): Promise<void>;
}

/** Which stream of a container a log line came from. */
export type LogStream = 'stdout' | 'stderr';

/** One complete line of one container. */
export interface RawLogLine {
  stream: LogStream;
  /** Milliseconds since the epoch, from Docker's timestamp; NaN when the line carried none. */
  timeMs: number;
  /** Docker's timestamp as written (nanosecond precision), '' when none. */
  time: string;
  text: string;
}
