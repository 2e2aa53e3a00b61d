// The Runtime on Docker Swarm, through dockerode, talking to a manager.
//
// Mapping (docs/swarm.md): one Swarm service per DSR version, `dsr-<owner>-<service>-<version>`,
// labelled like containers, whose replica count DSR sets (its canary steps and the manifest's
// replicas); one DSR instance per task slot, its id the id of the task standing for the slot now
// (tasks.ts), its index the slot. create = one more replica (a new service for a version's first
// instance); remove = one fewer, with the chosen task made the one Swarm takes (it removes tasks
// that are not running first: DSR has drained and stopped it); the last instance removes the
// service. Swarm's update and rollback machinery is never used: a new spec of a version is a
// second service beside the first (name + spec hash prefix), as a new version is.
// Swarm restarts a crashed task in its slot; placement and node loss are Swarm's.
// spec.secrets become Swarm secrets a wrapper exports before the app starts (task-secrets.ts).
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import type { ServiceSpec } from 'dockerode';
import { EngineCalls } from '../docker/engine-calls.js';
import { defaultDocker, describeEndpoint } from '../docker/endpoint.js';
import { LABELS, MANAGED_BY, networkLabels, ownerLabelFilters } from '../docker/labels.js';
import { assertUsableNetwork } from '../docker/network.js';
import type { InternalAddress } from '../gateway/internal-address.js';
import type { PullProgress } from '../docker/pull.js';
import type { SecretReader } from '../secrets/folder.js';
import { readLogs } from '../docker/read-logs.js';
import type { LogSource } from '../docker/read-logs.js';
import { ExecRunner } from '../docker/exec.js';
import { ContainerConflictError, ContainerNotRunningError, DockerOperationError, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import { DEFAULT_OWNER, assertValidOwner, versionServiceName } from '../runtime/names.js';
import type { ExecResult, InstanceSpec, LogOptions, LogReader, ObservedContainer, RawLogLine, Runtime, RuntimeEvent, VolumeInfo, VolumeStore } from '../runtime/runtime.js';
import { toSwarmEvent } from './events.js';
import { swarmInternalAddress } from './gateway-address.js';
import { execThroughEntry } from './secret-entry.js';
import { TaskSecrets } from './task-secrets.js';
import { ensureOverlay } from './network.js';
import { replicasOf, versionServiceSpec, withReplicas } from './service-spec.js';
import { taskState, toObserved } from './tasks.js';
import type { SwarmService, SwarmTask } from './tasks.js';
import { updateService } from './update.js';
import { swarmVolumeStore } from './volume-store.js';
import type { ServiceWriter } from './update.js';

/** How a SwarmRuntime connects and where it puts instances. */
export interface SwarmRuntimeOptions {
  /** A client of a swarm manager. Default: DOCKER_HOST, else the local socket. */
  docker?: Dockerode;
  /** Scopes this installation's services (label dsr.owner). Default "default". */
  owner?: string;
  /** The attachable overlay network instances join. Default "dsr". */
  network?: string;
  /** How long create() waits for the new task to run, stop() beyond its timeout for it to end, remove() for Swarm to take it. Default 30 s. */
  settleMs?: number;
  /** DSR_GATEWAY_URL for every new version service (src/gateway/internal-listener.ts); without it, instances get none. */
  gatewayUrl?: () => Promise<string | null>;
  /** Reads secret files' variables for the Swarm secrets of a new version service (src/secrets/folder.ts). Without it, a template with secrets cannot be created. */
  secrets?: SecretReader;
}

const POLL_MS = 200;

/** How many one-fewer updates remove() makes at most when Swarm takes another stopped task than the chosen one. */
const REMOVE_ATTEMPTS = 3;

/** Runtime backed by a Docker Swarm manager. */
export class SwarmRuntime implements Runtime, LogReader, VolumeStore {
  readonly owner: string;
  readonly network: string;
  private readonly docker: Dockerode;
  private readonly endpoint: string;
  private readonly engine: EngineCalls;
  private readonly settleMs: number;
  private networkReady: Promise<void> | null = null;
  private readonly gatewayUrl: (() => Promise<string | null>) | null;
  private readonly execs: ExecRunner;
  private nodeId: Promise<string> | null = null;
  /** Per version service (service/version/spec hash): its replica changes one at a time, so each knows which task is its own. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly namedVolumes: VolumeStore;
  private readonly secrets: TaskSecrets;

  constructor(options: SwarmRuntimeOptions = {}) {
    this.owner = options.owner ?? DEFAULT_OWNER;
    assertValidOwner(this.owner);
    this.network = options.network ?? 'dsr';
    assertUsableNetwork(this.network);
    this.docker = options.docker ?? defaultDocker();
    this.endpoint = describeEndpoint(this.docker);
    this.engine = new EngineCalls(this.docker, this.endpoint);
    this.settleMs = options.settleMs ?? 30_000;
    this.gatewayUrl = options.gatewayUrl ?? null;
    this.execs = new ExecRunner(this.docker, this.endpoint);
    this.namedVolumes = swarmVolumeStore(this.docker, this.owner, this.engine);
    this.secrets = new TaskSecrets(this.docker, this.engine, this.owner, options.secrets ?? null);
  }

  /** Resolves when the engine answers. */
  async ping(): Promise<void> {
    await this.engine.call('ping the Docker engine', () => this.docker.ping());
  }

  /**
   * Where the internal gateway listener binds, and the host DSR_GATEWAY_URL names: DSR's own
   * address on the overlay, and its Swarm service's name, which outlives the task
   * (gateway-address.ts; DSR runs as a task on this manager, deploy/swarm-stack.yml; `self`
   * defaults to the hostname, the container id).
   */
  async internalGatewayAddress(self: string = hostname()): Promise<InternalAddress> {
    const found = await this.engine.callAllowing(`inspect DSR's own container ${self}`, [404], () => this.docker.getContainer(self).inspect());
    if (!found) {
      throw new DockerOperationError(`find DSR's own container "${self}" (its hostname) to bind the internal gateway on the overlay "${this.network}"`, { cause: new Error('no such container on this manager: with DSR_RUNTIME=swarm, run DSR as a task on a manager (deploy/swarm-stack.yml), without a custom hostname') });
    }
    return swarmInternalAddress(found, this.network);
  }

  /**
   * This owner's instances (task slots of its version services): one services call and one tasks
   * call. A version service with 0 replicas and no task left is removed on the way: it has no
   * instance, so nothing else would ever see it or take it away (an operator's scale to 0, or a
   * DSR stopped between a scale-down and the service's removal).
   */
  async list(): Promise<ObservedContainer[]> {
    const services = (await this.engine.call('list DSR services', () => this.docker.listServices({ filters: { label: ownerLabelFilters(this.owner) } }))) as unknown as SwarmService[];
    const tasks = await this.tasksOfServices(services);
    await Promise.all(services.filter((s) => s.Spec.Mode?.Replicated?.Replicas === 0 && !tasks.some((t) => t.ServiceID === s.ID)).map((s) => this.removeEmpty(s)));
    return services.flatMap((s) => toObserved(s, tasks.filter((t) => t.ServiceID === s.ID), this.network));
  }

  /**
   * One more instance of the version: its service gets one more replica (or is created with one),
   * and this waits for the new task to run. Idempotent: a slot `spec.index` already running (or
   * starting) this spec is returned as it is. Swarm numbers the new task (its lowest free slot).
   */
  async create(spec: InstanceSpec): Promise<ObservedContainer> {
    const base = versionServiceName(this.owner, spec.service, spec.version);
    const operation = `create an instance of ${base} from ${spec.template.image}`;
    // Queued before any await: the creates of a pass (apply.ts, Promise.all in the planner's index
    // order) then add their replicas in that order, which is the order Swarm numbers slots in
    // (lowest free first). Queued after an await, create(3) could add slot 2 and create(2) would
    // then return that running slot as its own: two creates, one instance.
    return this.serially(versionKey(spec.service, spec.version, spec.specHash), async () => {
      await this.engine.call(`create network ${this.network}`, () => this.ensureNetworkOnce());
      // Swarm would accept the service and then reject its task on every node; say it now, as Docker does.
      if (!(await this.hasImage(spec.template.image))) {
        const cause = Object.assign(new Error(`No such image: ${spec.template.image} (Swarm runs only images its nodes have: pull or load it first)`), { statusCode: 404 });
        throw new DockerOperationError(operation, { cause });
      }
      const existing = await this.engine.call(`find the service of ${base}`, () => this.versionService(spec.service, spec.version, spec.specHash));
      if (!existing) return this.createService(spec, operation);
      const instances = await this.observe([existing]);
      const same = instances.find((c) => c.index === spec.index && (c.state === 'running' || c.state === 'created'));
      if (same) return same.state === 'running' ? same : this.settledSlot(existing.ID, same.index, operation);
      const before = await this.tasksOf(existing.ID, operation);
      try {
        await updateService(this.writer(existing.ID), (s) => withReplicas(s, replicasOf(s) + 1));
      } catch (err) {
        throw wrapDockerError(this.endpoint, `${operation}: add a replica`, err);
      }
      return this.newInstance(existing.ID, before, operation);
    });
  }

  /**
   * Stops the instance's task container (Docker's stop: SIGTERM, then SIGKILL after `timeoutSec`)
   * and waits for the task to end; it then reads `exited` until removed (Swarm may start a new
   * task in its slot after its restart delay: another instance). Stopped or gone is success. The
   * Engine API stops containers of the node it runs on only: a task on another node is left to
   * Swarm's own stop when remove() scales it away (docs/swarm.md).
   */
  async stop(id: string, timeoutSec = 10): Promise<void> {
    const task = await this.task(id, `stop task ${id}`);
    const container = task?.Status.ContainerStatus?.ContainerID;
    if (!task || !container || task.Status.State.toLowerCase() !== 'running') return;
    const here = await this.localNode();
    if (task.NodeID && here && task.NodeID !== here) return;
    await this.engine.callAllowing(`stop task ${id}`, [304, 404], () => this.docker.getContainer(container).stop({ t: timeoutSec }));
    await this.poll(timeoutSec * 1000 + this.settleMs, async () => {
      const now = await this.task(id, `observe task ${id}`);
      return !now || now.Status.State.toLowerCase() !== 'running' ? true : undefined;
    }).catch(() => undefined);
  }

  /**
   * Takes the instance away: its service gets one replica fewer, after its task was stopped, so
   * that it is the one Swarm removes (Swarm takes tasks that do not run first, then the highest
   * slot); the last instance of a version removes its service. Gone, or already being removed,
   * is success.
   */
  async remove(id: string): Promise<void> {
    const task = await this.task(id, `remove task ${id}`);
    if (!task) return;
    const service = await this.service(task.ServiceID, `remove task ${id}`);
    if (!service) return;
    await this.serially(serviceKey(service), async () => {
      const operation = `remove ${service.Spec.Name} task ${id}`;
      for (let attempt = 1; ; attempt++) {
        const instances = await this.observeOne(service.ID, operation);
        const mine = instances.find((c) => c.id === id) ?? (await this.restartStarting(id, instances, operation));
        // Not the slot's task any more (replaced meanwhile), or on its way out: nothing left to do.
        if (!mine || mine.state === 'removing') return;
        if (!instances.some((c) => c !== mine && c.state !== 'removing')) {
          await this.engine.callAllowing(`remove service ${service.Spec.Name}`, [404], () => this.docker.getService(service.ID).remove());
          await this.pruneSecrets();
          return;
        }
        if (mine.state === 'running' || mine.state === 'created') await this.stop(mine.id, 0);
        const stopped = (await this.task(mine.id, operation))?.Status.State.toLowerCase() !== 'running';
        const leaving = new Set(instances.filter((c) => c.state === 'removing').map((c) => c.index));
        try {
          await updateService(this.writer(service.ID), (s) => withReplicas(s, Math.max(0, replicasOf(s) - 1)));
        } catch (err) {
          if (statusCodeOf(err) === 404) return;
          throw wrapDockerError(this.endpoint, `${operation}: one replica fewer`, err);
        }
        // Which slot did Swarm take? Ours, or (only when ours had stopped) another stopped one first: then once more.
        const taken = await this.poll(this.settleMs, async () => {
          const now = await this.observeOne(service.ID, operation);
          const ours = now.find((c) => c.index === mine.index);
          if (!ours || ours.id !== mine.id || ours.state === 'removing') return 'ours';
          return now.some((c) => c.state === 'removing' && !leaving.has(c.index)) ? 'another' : undefined;
        }).catch(() => 'unknown');
        if (taken !== 'another' || !stopped || attempt >= REMOVE_ATTEMPTS) return;
      }
    });
  }

  /**
   * The instance of the slot of `id` when it is Swarm's restart of that task, not running yet: DSR
   * stopped `id` (a non-zero exit, which the on-failure policy restarts after its delay) and the
   * restart's delay ended just before this removal. The slot is still the one to take: it runs
   * nothing, so Swarm's scale-down takes it. A restart already running is left alone (it may
   * serve): remove() then does nothing and the next pass drains the extra instance.
   */
  private async restartStarting(id: string, instances: ObservedContainer[], operation: string): Promise<ObservedContainer | undefined> {
    const stopped = await this.task(id, operation);
    if (!stopped || stopped.DesiredState.toLowerCase() !== 'shutdown' || taskState(stopped.Status.State) !== 'exited') return undefined;
    const current = instances.find((c) => c.index === stopped.Slot);
    return current && current.state === 'created' && Date.parse(current.createdAt) > Date.parse(stopped.CreatedAt) ? current : undefined;
  }

  /**
   * Runs a command in the instance's running task (Docker's exec, src/docker/exec.ts). The Engine
   * API execs only on the node it runs on, so a task on another node cannot be checked this way:
   * that is an error saying so, not ContainerNotRunningError (which would have DSR replace it).
   */
  async exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const operation = `exec ${JSON.stringify(command)} in task ${id}`;
    const task = await this.task(id, operation);
    const container = task?.Status.ContainerStatus?.ContainerID;
    if (!task || !container || task.Status.State.toLowerCase() !== 'running' || task.DesiredState.toLowerCase() !== 'running') {
      throw new ContainerNotRunningError(id, 'the task is not running (stopped, removed, replaced, or not started yet)');
    }
    const here = await this.localNode();
    if (task.NodeID && here && task.NodeID !== here) {
      throw new DockerOperationError(operation, { cause: new Error(`it runs on node ${task.NodeID}, and the Engine API runs commands only on the node it is asked (${here}): use an HTTP check for services placed on other nodes`) });
    }
    // As an exec in a Docker container sees its Env: through the wrapper that exports the secrets.
    return this.execs.run(container, execThroughEntry(task.Spec?.ContainerSpec?.Command, command), timeoutMs);
  }

  /** Whether the image is present on the engine DSR talks to (a manager; other nodes need it too). */
  hasImage(image: string): Promise<boolean> {
    return this.engine.hasImage(image);
  }

  /** Pulls an image on the manager; registry and engine failures become ImagePullError. */
  pullImage(image: string, onProgress: (p: PullProgress) => void): Promise<void> {
    return this.engine.pullImage(image, onProgress);
  }

  /** This owner's task container events, reported under the task's id (events.ts). */
  events(onEvent: (e: RuntimeEvent) => void): () => void {
    return this.engine.watchOwnerEvents(this.owner, onEvent, toSwarmEvent);
  }

  /** The log of an instance's task (as `docker service logs` of one task). */
  async logs(id: string, options: LogOptions, onLine: (line: RawLogLine) => void): Promise<void> {
    // dockerode has the endpoint (GET /tasks/<id>/logs) but its types lack it.
    const task = this.docker.getTask(id) as unknown as { logs: LogSource };
    const source: LogSource = (opts) => task.logs(opts);
    await readLogs(source, options, onLine, (op, fn) => this.engine.call(op, fn), `task ${id}`);
  }

  /** This owner's named volumes on this manager (where services with one are pinned), with the instances using each. */
  volumes(): Promise<VolumeInfo[]> {
    return this.namedVolumes.volumes();
  }

  /** Removes a service's named volume on this manager; VolumeInUseError while a task's container mounts it; gone is success. */
  removeVolume(service: string, name: string): Promise<void> {
    return this.namedVolumes.removeVolume(service, name);
  }

  /** The services with their tasks as ObservedContainers, one per slot. */
  private async observe(services: SwarmService[]): Promise<ObservedContainer[]> {
    const tasks = await this.tasksOfServices(services);
    return services.flatMap((s) => toObserved(s, tasks.filter((t) => t.ServiceID === s.ID), this.network));
  }

  private async tasksOfServices(services: SwarmService[]): Promise<SwarmTask[]> {
    if (services.length === 0) return [];
    const ids = services.map((s) => s.ID);
    return (await this.engine.call('list DSR tasks', () => this.docker.listTasks({ filters: { service: ids } }))) as SwarmTask[];
  }

  /**
   * Removes a version service that has 0 replicas and no task, checked again in its queue (so no
   * create of this DSR adds to it meanwhile). A failure is left for the next list to retry: the
   * service has no instance, so listing must not fail for it.
   */
  private async removeEmpty(found: SwarmService): Promise<void> {
    await this.serially(serviceKey(found), async () => {
      const now = await this.service(found.ID, `inspect service ${found.Spec.Name}`);
      if (!now || now.Spec.Mode?.Replicated?.Replicas !== 0 || (await this.tasksOf(found.ID, `list the tasks of ${found.Spec.Name}`)).length > 0) return;
      await this.engine.callAllowing(`remove the empty service ${found.Spec.Name}`, [404], () => this.docker.getService(found.ID).remove());
      await this.pruneSecrets();
    }).catch(() => undefined);
  }

  /** One service's instances, [] when it is gone. */
  private async observeOne(id: string, operation: string): Promise<ObservedContainer[]> {
    const service = await this.service(id, operation);
    return service ? this.observe([service]) : [];
  }

  /** This owner's service of that version and spec, or null. */
  private async versionService(service: string, version: string, specHash: string): Promise<SwarmService | null> {
    const label = [...ownerLabelFilters(this.owner), `${LABELS.service}=${service}`, `${LABELS.version}=${version}`, `${LABELS.specHash}=${specHash}`];
    const found = (await this.docker.listServices({ filters: { label } })) as unknown as SwarmService[];
    return found[0] ?? null;
  }

  /** A version's first instance: its service, with one replica, named `dsr-<owner>-<service>-<version>` (plus the spec hash's prefix when a service of another spec of it has that name). */
  private async createService(spec: InstanceSpec, operation: string): Promise<ObservedContainer> {
    const name = await this.freeName(spec);
    // Before creating: a service created without its DSR_GATEWAY_URL would keep lacking it.
    const gatewayUrl = this.gatewayUrl ? await this.engine.call(`${operation}: start the internal gateway listener for DSR_GATEWAY_URL`, this.gatewayUrl) : null;
    const volumeNode = spec.template.volumes.some((v) => v.kind === 'named') ? await this.localNode() : null;
    // The Swarm secrets exist before the service that references them (task-secrets.ts).
    const id = await this.secrets.creating(spec.service, spec.template, operation, async (secrets) => {
      try {
        return (await this.docker.createService(versionServiceSpec(this.owner, spec, { name, network: this.network, gatewayUrl, volumeNode, replicas: 1, secrets }))).id;
      } catch (err) {
        if (statusCodeOf(err) === 409) throw new ContainerConflictError(name, 'a Swarm service of this name was created meanwhile (another DSR of this owner?); DSR will look again', { cause: err });
        throw wrapDockerError(this.endpoint, operation, err);
      }
    });
    return this.newInstance(id, [], operation);
  }

  /** The name for a new service of this version and spec; ContainerConflictError when a service this owner does not manage holds it. */
  private async freeName(spec: InstanceSpec): Promise<string> {
    for (const name of [versionServiceName(this.owner, spec.service, spec.version), versionServiceName(this.owner, spec.service, spec.version, spec.specHash)]) {
      const found = (await this.engine.callAllowing(`inspect service ${name}`, [404], () => this.docker.getService(name).inspect())) as SwarmService | undefined;
      if (!found) return name;
      const labels = found.Spec.Labels ?? {};
      if (labels[LABELS.managedBy] !== MANAGED_BY || labels[LABELS.owner] !== this.owner) {
        throw new ContainerConflictError(name, `a Swarm service with this name exists that this DSR (owner "${this.owner}") does not manage; rename or remove it`, { foreign: true });
      }
    }
    throw new ContainerConflictError(versionServiceName(this.owner, spec.service, spec.version, spec.specHash), 'two services of other specs of this version hold both names it may take; remove one');
  }

  /** The instance in the slot of the task the last replica change added (not among `before`), once it runs or has ended. */
  private async newInstance(serviceId: string, before: SwarmTask[], operation: string): Promise<ObservedContainer> {
    const known = new Set(before.map((t) => t.ID));
    const busy = new Set(before.filter((t) => t.DesiredState.toLowerCase() === 'running').map((t) => t.Slot));
    const slot = await this.poll(this.settleMs, async () => {
      const fresh = (await this.tasksOf(serviceId, operation)).filter((t) => !known.has(t.ID) && typeof t.Slot === 'number');
      // Swarm may restart a crashed slot meanwhile: the task of a slot that was not busy is the new one.
      return (fresh.find((t) => !busy.has(t.Slot)) ?? fresh[0])?.Slot;
    });
    return this.settledSlot(serviceId, slot, operation);
  }

  /** Polls slot `slot` of the service until its task runs or has ended, or settleMs passes, and returns what it saw last. */
  private async settledSlot(serviceId: string, slot: number, operation: string): Promise<ObservedContainer> {
    let last: ObservedContainer | undefined;
    await this.poll(this.settleMs, async () => {
      last = (await this.observeOne(serviceId, operation)).find((c) => c.index === slot);
      if (!last) throw new DockerOperationError(operation, { cause: new Error(`the service's slot ${slot} disappeared (removed meanwhile, or its labels are not DSR's)`) });
      return last.state !== 'created' ? true : undefined;
    }).catch((err: unknown) => {
      if (!last || err instanceof DockerOperationError) throw err;
    });
    if (!last) throw new DockerOperationError(operation, { cause: new Error(`slot ${slot} was not observed`) });
    return last;
  }

  /**
   * Removes this owner's Swarm secrets no service uses any more, after a service went: the old
   * content of a changed file goes with the last service that used it. A failure is not the
   * removal's: the service is gone, and the next removal prunes again.
   */
  private async pruneSecrets(): Promise<void> {
    await this.secrets.prune().catch(() => undefined);
  }

  /** Calls `probe` every POLL_MS until it returns a value; throws when `timeoutMs` passes first. */
  private async poll<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async tasksOf(serviceId: string, operation: string): Promise<SwarmTask[]> {
    return (await this.engine.call(operation, () => this.docker.listTasks({ filters: { service: [serviceId] } }))) as SwarmTask[];
  }

  private async task(id: string, operation: string): Promise<SwarmTask | undefined> {
    return (await this.engine.callAllowing(operation, [404], () => this.docker.getTask(id).inspect())) as SwarmTask | undefined;
  }

  private async service(id: string, operation: string): Promise<SwarmService | undefined> {
    return (await this.engine.callAllowing(operation, [404], () => this.docker.getService(id).inspect())) as SwarmService | undefined;
  }

  /** Runs `work` after every earlier call of the same key has settled. */
  private serially<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = result.then(() => undefined, () => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return result;
  }

  private writer(id: string): ServiceWriter {
    const service = this.docker.getService(id);
    return {
      read: async () => {
        const info = (await service.inspect()) as { Version: { Index: number }; Spec: ServiceSpec };
        return { version: info.Version.Index, spec: info.Spec };
      },
      // `_query`/`_body` keep the version out of the body and the spec out of the query string.
      write: async (version, spec) => {
        await service.update({ _query: { version }, _body: spec });
      },
    };
  }

  /** The swarm node id of the engine DSR talks to ('' outside swarm mode), asked once. */
  private localNode(): Promise<string> {
    this.nodeId ??= this.engine.call('read the engine\'s swarm node', () => this.docker.info() as Promise<{ Swarm?: { NodeID?: string } }>).then(
      (info) => info.Swarm?.NodeID ?? '',
      (err: unknown) => {
        this.nodeId = null;
        throw err;
      },
    );
    return this.nodeId;
  }

  private ensureNetworkOnce(): Promise<void> {
    this.networkReady ??= ensureOverlay(this.docker, this.network, networkLabels(this.owner)).catch((err: unknown) => {
      this.networkReady = null; // let the next create try again
      throw err;
    });
    return this.networkReady;
  }
}

/** The queue key of a version service. */
function versionKey(service: string, version: string, specHash: string): string {
  return `${service}/${version}/${specHash}`;
}

/** The queue key of a version service, from its labels. */
function serviceKey(service: SwarmService): string {
  const labels = service.Spec.Labels ?? {};
  return versionKey(labels[LABELS.service] ?? '', labels[LABELS.version] ?? '', labels[LABELS.specHash] ?? service.ID);
}
