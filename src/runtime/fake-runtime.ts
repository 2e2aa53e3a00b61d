// An in-memory container engine and the Runtime view of it, for the controller's unit tests and
// for simulating what one real host cannot show (engine outages, crashes on cue). It lives in
// src/runtime/ beside where the engine-neutral Runtime types are headed (issue 16), as MemoryStore
// lives beside LowdbStore; test/contract/runtime.contract.ts holds it to DockerRuntime's promises.
import { ContainerConflictError, ContainerNotRunningError, DockerOperationError, DockerUnavailableError, ExecTimeoutError, ImagePullError, VolumeConflictError, VolumeInUseError } from './errors.js';
import { DEFAULT_OWNER, assertValidOwner, containerName, volumeName } from './names.js';
import { EXEC_OUTPUT_LIMIT } from './runtime.js';
import type { ContainerAction, ContainerState, ExecResult, InstanceSpec, ObservedContainer, Runtime, RuntimeEvent, VolumeInfo, VolumeStore } from './runtime.js';

/** What the fake reports as its endpoint in DockerUnavailableError. */
export const FAKE_ENDPOINT = 'fake://engine';

/** One container in the fake engine; `spec` is null for a foreign (non-DSR) container. */
interface FakeContainer {
  id: string;
  name: string;
  owner: string | null;
  spec: InstanceSpec | null;
  image: string;
  state: ContainerState;
  exitCode: number | null;
  createdAt: string;
  hostPort: number;
}

/** What a command run in a fake container does: end with an exit code (and output), or never end. */
export type FakeExecOutcome = { exitCode: number; output?: string } | 'hang';

/** Decides what a command does in a container; undefined falls back to the default commands (see defaultExec). */
export type FakeExecScript = (container: { id: string; name: string; service: string; version: string; image: string }, command: string[]) => FakeExecOutcome | undefined;

/** How a FakeEngine starts. */
export interface FakeEngineOptions {
  /** Images present locally. */
  images?: string[];
  /** Images pullImage() can fetch; any other pull fails with ImagePullError. */
  pullable?: string[];
  /** Images whose containers exit right after they start, with this exit code (a crash loop's first step). */
  crashing?: Record<string, number>;
  /** Clock for createdAt (ms since the epoch). Default: a fixed start advancing 1 s per container, so runs are identical. */
  now?: () => number;
}

/**
 * The shared state of a fake Docker host: containers of every owner, images, reachability.
 * Every knob a test needs is a method here; FakeRuntime is one owner's view of it.
 */
export class FakeEngine {
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images: Set<string>;
  private readonly pullable: Set<string>;
  private readonly crashing: Map<string, number>;
  private readonly now: () => number;
  private readonly listeners = new Set<{ owner: string; onEvent: (e: RuntimeEvent) => void; connected: boolean }>();
  private nextId = 1;
  private down = false;
  private execScript: FakeExecScript | null = null;
  /** Named volumes by engine name, with their owner, service and manifest name. */
  private readonly volumes = new Map<string, { owner: string; service: string; name: string; createdAt: string }>();

  constructor(options: FakeEngineOptions = {}) {
    this.images = new Set(options.images ?? []);
    this.pullable = new Set(options.pullable ?? []);
    this.crashing = new Map(Object.entries(options.crashing ?? {}));
    let t = Date.parse('2024-01-01T00:00:00Z');
    this.now = options.now ?? (() => (t += 1000));
  }

  /** One owner's Runtime on this engine. */
  runtime(owner: string = DEFAULT_OWNER): FakeRuntime {
    return new FakeRuntime(this, owner);
  }

  /** Stops answering: every call throws DockerUnavailableError and event streams report 'disconnected'. */
  stopEngine(): void {
    this.down = true;
    for (const l of this.listeners) {
      if (!l.connected) continue;
      l.connected = false;
      const error = this.unavailable('watch Docker events');
      queueMicrotask(() => l.onEvent({ type: 'disconnected', error }));
    }
  }

  /** Answers again; event streams report 'connected' (events in between are lost, as with Docker). */
  startEngine(): void {
    this.down = false;
    for (const l of this.listeners) this.connect(l);
  }

  /** Whether the engine is up. */
  get running(): boolean {
    return !this.down;
  }

  /** Makes an image present (as `docker load` would). */
  addImage(image: string): void {
    this.images.add(image);
  }

  /** The process in a container exits on its own (crash, OOM, kill from outside). */
  exit(id: string, exitCode: number, action: ContainerAction = 'die'): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return;
    c.state = 'exited';
    c.exitCode = exitCode;
    if (action !== 'die') this.emit(c, action);
    this.emit(c, 'die');
  }

  /** Scripts what commands run in containers do (health checks); null restores the defaults only. */
  scriptExec(script: FakeExecScript | null): void {
    this.execScript = script;
  }

  /** Puts a container of that name that no DSR owns (another program's), as `docker run --name` would. */
  addForeign(name: string, image = 'foreign:latest'): string {
    const c = this.insert(name, null, null, image);
    c.state = 'running';
    return c.id;
  }

  /** Every container of every owner, for assertions ("the world ended in the right state"). */
  all(): Array<{ id: string; name: string; owner: string | null; state: ContainerState }> {
    return [...this.containers.values()].map((c) => ({ id: c.id, name: c.name, owner: c.owner, state: c.state }));
  }

  // --- what FakeRuntime calls; each first checks reachability like a socket call would ---

  /** @internal */
  check(operation: string): void {
    if (this.down) throw this.unavailable(operation);
  }

  /** @internal */
  list(owner: string): ObservedContainer[] {
    return [...this.containers.values()].filter((c) => c.owner === owner && c.spec).map(observe);
  }

  /** @internal */
  create(owner: string, spec: InstanceSpec): ObservedContainer {
    const name = containerName(owner, spec.service, spec.version, spec.index);
    const existing = [...this.containers.values()].find((c) => c.name === name);
    let c: FakeContainer;
    if (existing) {
      if (existing.owner !== owner || !existing.spec) {
        throw new ContainerConflictError(name, `a container with this name exists that this DSR (owner "${owner}") does not manage; rename or remove it`, { foreign: true });
      }
      if (existing.spec.specHash !== spec.specHash) {
        throw new ContainerConflictError(name, `it exists with spec hash ${existing.spec.specHash}, not ${spec.specHash}; remove it first`);
      }
      c = existing;
    } else {
      if (!this.images.has(spec.template.image)) {
        // Docker answers 404 "No such image" to a create whose image is absent; DockerRuntime wraps it so.
        const cause = Object.assign(new Error(`No such image: ${spec.template.image}`), { statusCode: 404 });
        throw new DockerOperationError(`create ${name} from ${spec.template.image}`, { cause });
      }
      this.ensureVolumes(owner, spec);
      c = this.insert(name, owner, spec, spec.template.image);
      this.emit(c, 'create');
    }
    if (c.state !== 'running') {
      c.state = 'running';
      c.exitCode = null;
      this.emit(c, 'start');
    }
    const observed = observe(c);
    const crashCode = this.crashing.get(c.image);
    if (crashCode !== undefined) this.exit(c.id, crashCode);
    return observed;
  }

  /** @internal Creates the instance's named volumes that do not exist yet (as DockerVolumes.ensure). */
  ensureVolumes(owner: string, spec: InstanceSpec): void {
    for (const v of spec.template.volumes) {
      if (v.kind !== 'named') continue;
      const dockerName = volumeName(owner, spec.service, v.name);
      const found = this.volumes.get(dockerName);
      if (found && (found.owner !== owner || found.service !== spec.service)) {
        throw new VolumeConflictError(dockerName, spec.service, owner);
      }
      if (!found) this.volumes.set(dockerName, { owner, service: spec.service, name: v.name, createdAt: new Date(this.now()).toISOString() });
    }
  }

  /** @internal This owner's named volumes with the containers (any owner) mounting each. */
  listVolumes(owner: string): VolumeInfo[] {
    return [...this.volumes.entries()]
      .filter(([, v]) => v.owner === owner)
      .map(([dockerName, v]) => ({ service: v.service, name: v.name, dockerName, createdAt: v.createdAt, usedBy: this.volumeUsers(dockerName) }))
      .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  }

  /** @internal Removes a named volume unless mounted; gone is success. */
  removeVolume(owner: string, service: string, name: string): void {
    const dockerName = volumeName(owner, service, name);
    const users = this.volumeUsers(dockerName);
    if (users.length > 0) throw new VolumeInUseError(dockerName, users);
    this.volumes.delete(dockerName);
  }

  private volumeUsers(dockerName: string): string[] {
    return [...this.containers.values()]
      .filter((c) => c.owner !== null && c.spec?.template.volumes.some((v) => v.kind === 'named' && volumeName(c.owner!, c.spec!.service, v.name) === dockerName))
      .map((c) => c.name)
      .sort();
  }

  /** @internal */
  stop(id: string): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return;
    c.state = 'exited';
    c.exitCode = 0;
    this.emit(c, 'kill');
    this.emit(c, 'die');
    this.emit(c, 'stop');
  }

  /** @internal */
  remove(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'running') {
      this.emit(c, 'kill');
      this.emit(c, 'die');
    }
    this.containers.delete(id);
    this.emit(c, 'destroy');
  }

  /** @internal */
  exec(owner: string, id: string, command: string[]): FakeExecOutcome {
    const c = this.containers.get(id);
    if (!c || c.owner !== owner || !c.spec) throw new ContainerNotRunningError(id, `No such container: ${id}`);
    if (c.state !== 'running') throw new ContainerNotRunningError(id, `Container ${id} is not running`);
    const scripted = this.execScript?.({ id, name: c.name, service: c.spec.service, version: c.spec.version, image: c.image }, command);
    return scripted ?? defaultExec(command);
  }

  /** @internal */
  hasImage(image: string): boolean {
    return this.images.has(image);
  }

  /** @internal */
  pull(image: string, onProgress: (p: { status: string; detail?: string }) => void): void {
    if (!this.pullable.has(image)) {
      throw new ImagePullError(image, `pull access denied for ${image}, repository does not exist or may require 'docker login'`);
    }
    onProgress({ status: 'Pulling from fake registry' });
    this.images.add(image);
    onProgress({ status: `Status: Downloaded newer image for ${image}` });
  }

  /** @internal */
  watch(owner: string, onEvent: (e: RuntimeEvent) => void): () => void {
    const listener = { owner, onEvent, connected: false };
    this.listeners.add(listener);
    if (this.down) {
      const error = this.unavailable('watch Docker events');
      queueMicrotask(() => onEvent({ type: 'disconnected', error }));
    } else {
      this.connect(listener);
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private connect(l: { onEvent: (e: RuntimeEvent) => void; connected: boolean }): void {
    if (l.connected) return;
    l.connected = true;
    queueMicrotask(() => l.onEvent({ type: 'connected' }));
  }

  private insert(name: string, owner: string | null, spec: InstanceSpec | null, image: string): FakeContainer {
    const n = this.nextId++;
    const c: FakeContainer = {
      id: `fake${String(n).padStart(8, '0')}`,
      name,
      owner,
      spec,
      image,
      state: 'created',
      exitCode: null,
      createdAt: new Date(this.now()).toISOString(),
      hostPort: 30000 + n,
    };
    this.containers.set(c.id, c);
    return c;
  }

  /** Delivers a container event to its owner's streams after the current call returns, as Docker's stream would. */
  private emit(c: FakeContainer, action: ContainerAction): void {
    if (!c.owner || !c.spec) return;
    const event: RuntimeEvent = { type: 'container', action, containerId: c.id, service: c.spec.service, version: c.spec.version };
    for (const l of this.listeners) {
      if (l.owner === c.owner && l.connected) queueMicrotask(() => l.connected && this.listeners.has(l) && l.onEvent(event));
    }
  }

  private unavailable(operation: string): DockerUnavailableError {
    return new DockerUnavailableError(FAKE_ENDPOINT, operation, { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  }
}

/** One owner's Runtime on a FakeEngine: same promises and typed errors as DockerRuntime (host mode). */
export class FakeRuntime implements Runtime, VolumeStore {
  constructor(
    readonly engine: FakeEngine,
    readonly owner: string = DEFAULT_OWNER,
  ) {
    assertValidOwner(owner);
  }

  /** Resolves when the engine is up. */
  async ping(): Promise<void> {
    this.engine.check('ping the Docker engine');
  }

  /** This owner's containers. */
  async list(): Promise<ObservedContainer[]> {
    this.engine.check('list DSR containers');
    return this.engine.list(this.owner);
  }

  /** Creates and starts an instance, or adopts the one of that name with the same spec hash. */
  async create(spec: InstanceSpec): Promise<ObservedContainer> {
    this.engine.check(`create ${containerName(this.owner, spec.service, spec.version, spec.index)} from ${spec.template.image}`);
    return this.engine.create(this.owner, spec);
  }

  /** This owner's named volumes, with the containers using each. */
  async volumes(): Promise<VolumeInfo[]> {
    this.engine.check('list DSR volumes');
    return this.engine.listVolumes(this.owner);
  }

  /** Removes a service's named volume unless a container uses it (VolumeInUseError); gone is success. */
  async removeVolume(service: string, name: string): Promise<void> {
    this.engine.check(`remove volume ${volumeName(this.owner, service, name)}`);
    this.engine.removeVolume(this.owner, service, name);
  }

  /** Stops a container at once (the fake's processes honour SIGTERM); stopped or gone is success. */
  async stop(id: string, _timeoutSec = 10): Promise<void> {
    this.engine.check(`stop container ${id}`);
    this.engine.stop(id);
  }

  /** Removes a container, running or not; gone is success. */
  async remove(id: string): Promise<void> {
    this.engine.check(`remove container ${id}`);
    this.engine.remove(id);
  }

  /** Runs a scripted (or default) command; 'hang' times out after `timeoutMs` of real time. */
  async exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    this.engine.check(`exec ${JSON.stringify(command)} in container ${id}`);
    const outcome = this.engine.exec(this.owner, id, command);
    if (outcome === 'hang') {
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw new ExecTimeoutError(id, command, timeoutMs);
    }
    const output = outcome.output ?? '';
    return { exitCode: outcome.exitCode, output: output.slice(-EXEC_OUTPUT_LIMIT) };
  }

  /** Whether the image is present. */
  async hasImage(image: string): Promise<boolean> {
    this.engine.check(`inspect image ${image}`);
    return this.engine.hasImage(image);
  }

  /** Pulls an image listed as pullable; any other fails with ImagePullError. */
  async pullImage(image: string, onProgress: (p: { status: string; detail?: string }) => void): Promise<void> {
    this.engine.check(`pull ${image}`);
    this.engine.pull(image, onProgress);
  }

  /** This owner's container events; 'connected' on subscribe and after every outage. */
  events(onEvent: (e: RuntimeEvent) => void): () => void {
    return this.engine.watch(this.owner, onEvent);
  }
}

/**
 * The commands every fake container knows, as busybox would run them: `true`, `false`, `echo`,
 * `sleep` (never ends within a check's timeout), `sh -c "exit N"`; anything else is not found,
 * with Docker's exit code (126) and message.
 */
export function defaultExec(command: string[]): FakeExecOutcome {
  const [program = '', ...args] = command;
  if (program === 'true') return { exitCode: 0 };
  if (program === 'false') return { exitCode: 1 };
  if (program === 'echo') return { exitCode: 0, output: `${args.join(' ')}\n` };
  if (program === 'sleep') return 'hang';
  const exit = program === 'sh' && args[0] === '-c' ? /^exit (\d+)$/.exec(args[1]?.trim() ?? '') : null;
  if (exit) return { exitCode: Number(exit[1]) };
  return { exitCode: 126, output: `OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(program)}: executable file not found in $PATH: unknown\r\n` };
}

function observe(c: FakeContainer): ObservedContainer {
  const spec = c.spec;
  if (!spec) throw new Error(`fake container ${c.name} is foreign and has no DSR view`);
  return {
    id: c.id,
    name: c.name,
    service: spec.service,
    version: spec.version,
    index: spec.index,
    specHash: spec.specHash,
    state: c.state,
    createdAt: c.createdAt,
    exitCode: c.state === 'exited' || c.state === 'dead' ? c.exitCode : null,
    // A worker (no port) publishes nothing, as with Docker.
    address: c.state === 'running' && spec.template.port !== null ? { host: '127.0.0.1', port: c.hostPort } : null,
    image: c.image,
  };
}
