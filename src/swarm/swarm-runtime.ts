// The Runtime on Docker Swarm, through dockerode, talking to a manager.
//
// Mapping (docs/swarm.md): one DSR instance = one replicated Swarm service of one task, named and
// labelled like the container it replaces (`dsr-<owner>-<service>-<version>-<n>`). The instance id
// is the service id, so it survives Swarm's restarts of the task. create = create the service (or
// scale it back to 1), stop = scale to 0, remove = remove the service, list = services + tasks.
// Why not one service per version with `replicas` tasks: the Runtime speaks of single instances
// (DSR's canary steps create, replace and drain them one by one), and Swarm cannot remove a chosen
// task of a service, stop one, or keep a task's identity across a scale-down.
// Swarm restarts a crashed task (restart policy on-failure); placement and node loss are Swarm's.
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { EngineCalls } from '../docker/engine-calls.js';
import type { ServiceSpec } from 'dockerode';
import { defaultDocker, describeEndpoint } from '../docker/endpoint.js';
import { CONTAINER_ACTIONS, watchEvents } from '../docker/event-stream.js';
import { LABELS, MANAGED_BY, networkLabels, ownerLabelFilters } from '../docker/labels.js';
import { assertUsableNetwork } from '../docker/network.js';
import type { InternalAddress } from '../gateway/internal-address.js';
import type { PullProgress } from '../docker/pull.js';
import { readLogs } from '../docker/read-logs.js';
import type { LogSource } from '../docker/read-logs.js';
import { ExecRunner } from '../docker/exec.js';
import { ContainerConflictError, ContainerNotRunningError, DockerOperationError, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import { DEFAULT_OWNER, assertValidOwner, containerName } from '../runtime/names.js';
import type { ExecResult, InstanceSpec, LogOptions, LogReader, ObservedContainer, RawLogLine, Runtime, RuntimeEvent, VolumeInfo, VolumeStore } from '../runtime/runtime.js';
import { toSwarmEvent } from './events.js';
import { swarmInternalAddress } from './gateway-address.js';
import { ensureOverlay } from './network.js';
import { instanceServiceSpec, replicasOf, withReplicas } from './service-spec.js';
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
  /** How long create() waits for the task to run, and stop() beyond its timeout for it to end. Default 30 s. */
  settleMs?: number;
  /** DSR_GATEWAY_URL for every new instance (src/gateway/internal-listener.ts); without it, instances get none. */
  gatewayUrl?: () => Promise<string | null>;
}

const POLL_MS = 200;

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
  private readonly namedVolumes: VolumeStore;

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

  /** This owner's instances: one services call and one tasks call. */
  async list(): Promise<ObservedContainer[]> {
    const services = (await this.engine.call('list DSR services', () => this.docker.listServices({ filters: { label: ownerLabelFilters(this.owner) } }))) as unknown as SwarmService[];
    return this.observe(services);
  }

  /** Creates the instance's service and waits for its task to run; adopts an existing one of the same spec hash. */
  async create(spec: InstanceSpec): Promise<ObservedContainer> {
    const name = containerName(this.owner, spec.service, spec.version, spec.index);
    const operation = `create ${name} from ${spec.template.image}`;
    // Secret files are read by the Docker runtime only: a Swarm service would run without them.
    if (spec.template.secrets.length > 0) throw new DockerOperationError(operation, { cause: new Error('spec.secrets is not supported on Swarm yet: run this service with the Docker runtime, or leave secrets out') });
    await this.engine.call(`create network ${this.network}`, () => this.ensureNetworkOnce());
    // Swarm would accept the service and then reject its task on every node; say it now, as Docker does.
    if (!(await this.hasImage(spec.template.image))) {
      const cause = Object.assign(new Error(`No such image: ${spec.template.image} (Swarm runs only images its nodes have: pull or load it first)`), { statusCode: 404 });
      throw new DockerOperationError(operation, { cause });
    }
    // Before creating: an instance created without its DSR_GATEWAY_URL would keep lacking it.
    const gatewayUrl = this.gatewayUrl ? await this.engine.call(`create ${name}: start the internal gateway listener for DSR_GATEWAY_URL`, this.gatewayUrl) : null;
    let id: string;
    try {
      const volumeNode = spec.template.volumes.some((v) => v.kind === 'named') ? await this.localNode() : null;
      id = (await this.docker.createService(instanceServiceSpec(this.owner, spec, this.network, gatewayUrl, volumeNode))).id;
    } catch (err) {
      if (statusCodeOf(err) !== 409) throw wrapDockerError(this.endpoint, operation, err);
      id = await this.adoptable(name, spec.specHash, err);
      await this.scale(id, 1, `start ${name}`);
    }
    return this.settled(id, name, (c) => c.state !== 'created');
  }

  /** Scales the instance's service to 0 and waits (timeout + settle at most) for its task to end; gone is success. */
  async stop(id: string, timeoutSec = 10): Promise<void> {
    const found = await this.scale(id, 0, `stop service ${id}`);
    if (!found) return;
    await this.settled(id, id, (c) => c.state !== 'running' && c.state !== 'created', timeoutSec * 1000 + this.settleMs).catch(() => undefined);
  }

  /** Removes the instance's service (Swarm removes its task's container); gone is success. */
  async remove(id: string): Promise<void> {
    await this.engine.callAllowing(`remove service ${id}`, [404], () => this.docker.getService(id).remove());
  }

  /**
   * Runs a command in the instance's running task (Docker's exec, src/docker/exec.ts). The Engine
   * API execs only on the node it runs on, so a task on another node cannot be checked this way:
   * that is an error saying so, not ContainerNotRunningError (which would have DSR replace it).
   */
  async exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const operation = `exec ${JSON.stringify(command)} in service ${id}`;
    const tasks = await this.engine.call(operation, () => this.docker.listTasks({ filters: { service: [id], 'desired-state': ['running'] } })).catch((err: unknown) => {
      if (err instanceof DockerOperationError && err.statusCode === 404) return [];
      throw err;
    }) as SwarmTask[];
    const task = tasks.find((t) => taskState(t.Status.State) === 'running' && t.Status.ContainerStatus?.ContainerID);
    const container = task?.Status.ContainerStatus?.ContainerID;
    if (!task || !container) throw new ContainerNotRunningError(id, 'the service has no running task (stopped, removed, or not started yet)');
    const here = await this.localNode();
    if (task.NodeID && here && task.NodeID !== here) {
      throw new DockerOperationError(operation, { cause: new Error(`its task runs on node ${task.NodeID}, and the Engine API runs commands only on the node it is asked (${here}): use an HTTP check for services placed on other nodes`) });
    }
    return this.execs.run(container, command, timeoutMs);
  }

  /** Whether the image is present on the engine DSR talks to (a manager; other nodes need it too). */
  hasImage(image: string): Promise<boolean> {
    return this.engine.hasImage(image);
  }

  /** Pulls an image on the manager; registry and engine failures become ImagePullError. */
  pullImage(image: string, onProgress: (p: PullProgress) => void): Promise<void> {
    return this.engine.pullImage(image, onProgress);
  }

  /** This owner's task container events, reported under the service's id (events.ts). */
  events(onEvent: (e: RuntimeEvent) => void): () => void {
    const filters = { type: ['container' as const], label: ownerLabelFilters(this.owner), event: [...CONTAINER_ACTIONS] };
    return watchEvents({
      connect: () => this.docker.getEvents({ filters }),
      onEvent,
      parse: toSwarmEvent,
      wrapError: (err) => wrapDockerError(this.endpoint, 'watch Docker events', err),
    });
  }

  /** The log of an instance's service (all its tasks, as `docker service logs`). */
  async logs(id: string, options: LogOptions, onLine: (line: RawLogLine) => void): Promise<void> {
    const service = this.docker.getService(id);
    const source: LogSource = (opts) => service.logs(opts);
    await readLogs(source, options, onLine, (op, fn) => this.engine.call(op, fn), `service ${id}`);
  }

  /** This owner's named volumes on this manager (where services with one are pinned), with the instances using each. */
  volumes(): Promise<VolumeInfo[]> {
    return this.namedVolumes.volumes();
  }

  /** Removes a service's named volume on this manager; VolumeInUseError while a task's container mounts it; gone is success. */
  removeVolume(service: string, name: string): Promise<void> {
    return this.namedVolumes.removeVolume(service, name);
  }

  /** The services with their tasks as ObservedContainers. */
  private async observe(services: SwarmService[]): Promise<ObservedContainer[]> {
    if (services.length === 0) return [];
    const ids = services.map((s) => s.ID);
    const tasks = (await this.engine.call('list DSR tasks', () => this.docker.listTasks({ filters: { service: ids } }))) as SwarmTask[];
    return services.flatMap((s) => toObserved(s, tasks.filter((t) => t.ServiceID === s.ID), this.network) ?? []);
  }

  /** Polls the instance until `done` holds or `timeoutMs` passes, and returns what it saw last. */
  private async settled(id: string, name: string, done: (c: ObservedContainer) => boolean, timeoutMs = this.settleMs): Promise<ObservedContainer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const service = (await this.engine.callAllowing(`observe ${name}`, [404], () => this.docker.getService(id).inspect())) as SwarmService | undefined;
      const [observed] = service ? await this.observe([service]) : [];
      if (!observed) throw new DockerOperationError(`observe ${name}`, { cause: new Error('the service disappeared (removed meanwhile, or its labels are not DSR\'s)') });
      if (done(observed) || Date.now() > deadline) return observed;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Sets the replica count with optimistic concurrency (update.ts); false when the service is gone. */
  private async scale(id: string, replicas: number, operation: string): Promise<boolean> {
    try {
      await updateService(this.writer(id), (spec) => (replicasOf(spec) === replicas ? null : withReplicas(spec, replicas)));
      return true;
    } catch (err) {
      if (statusCodeOf(err) === 404) return false;
      throw wrapDockerError(this.endpoint, operation, err);
    }
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

  /** The id of the existing service called `name` if DSR may reuse it, else ContainerConflictError. */
  private async adoptable(name: string, wantedHash: string, conflict: unknown): Promise<string> {
    const info = (await this.engine.call(`inspect existing service ${name}`, () => this.docker.getService(name).inspect())) as SwarmService;
    const labels = info.Spec.Labels ?? {};
    if (labels[LABELS.managedBy] !== MANAGED_BY || labels[LABELS.owner] !== this.owner) {
      throw new ContainerConflictError(name, `a Swarm service with this name exists that this DSR (owner "${this.owner}") does not manage; rename or remove it`, { cause: conflict, foreign: true });
    }
    if (labels[LABELS.specHash] !== wantedHash) {
      throw new ContainerConflictError(name, `it exists with spec hash ${labels[LABELS.specHash] ?? '(none)'}, not ${wantedHash}; remove it first`, { cause: conflict });
    }
    return info.ID;
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
