// The Runtime on a real Docker engine, through dockerode. Thin on purpose: what to create is
// decided in container-config.ts, what was observed in observe.ts; this file only talks.
import type Dockerode from 'dockerode';
import { EngineCalls } from './engine-calls.js';
import { containerCreateOptions } from './container-config.js';
import type { SecretReader } from '../secrets/folder.js';
import { defaultDocker, describeEndpoint } from './endpoint.js';
import { ContainerConflictError, DockerOperationError, dockerMessage, statusCodeOf, wrapDockerError } from '../runtime/errors.js';
import { ExecRunner } from './exec.js';
import { LABELS, MANAGED_BY, networkLabels, ownerLabelFilters } from './labels.js';
import { DEFAULT_OWNER, assertValidOwner, containerName } from '../runtime/names.js';
import { assertUsableNetwork, ensureNetwork } from './network.js';
import { chooseInternalAddress } from './gateway-address.js';
import type { NetworkFacts } from './gateway-address.js';
import type { InternalAddress } from '../gateway/internal-address.js';
import { hostname } from 'node:os';
import { toObserved } from './observe.js';
import type { AddressMode } from './observe.js';
import type { PullProgress } from './pull.js';
import type { ExecResult, InstanceSpec, ObservedContainer, Runtime, RuntimeEvent, VolumeInfo, VolumeStore } from '../runtime/runtime.js';
import { DockerVolumes } from './volumes.js';

import { readLogs } from './read-logs.js';
import type { LogSource } from './read-logs.js';
import { resolveHostPaths } from './host-path-guard.js';
import { type RawLogLine } from '../runtime/runtime.js';
import type { LogOptions } from '../runtime/runtime.js';
export { detectMode } from './mode.js';

/** How a DockerRuntime connects and where it puts instances. */
export interface DockerRuntimeOptions {
  /** Default: DOCKER_HOST, else the local socket. */
  docker?: Dockerode;
  /** Scopes this installation's containers (label dsr.owner). Default "default". */
  owner?: string;
  mode: AddressMode;
  /** The shared network of network mode. Default "dsr". */
  network?: string;
  /** DSR_GATEWAY_URL for every new instance (src/gateway/internal-listener.ts); without it, instances get none. */
  gatewayUrl?: () => Promise<string | null>;
  /** DSR_HOST_PATHS: each hostPath's real path is checked against them before a create (host-path-guard.ts). Default: no check. */
  hostPathRoots?: readonly string[];
  /** Reads secret files' variables at creation (src/secrets/folder.ts). Without it, a template with secrets cannot be created. */
  secrets?: SecretReader;
}

/** Runtime backed by a Docker engine. */
export class DockerRuntime implements Runtime, VolumeStore {
  readonly owner: string;
  readonly mode: AddressMode;
  readonly network: string;
  private readonly docker: Dockerode;
  private readonly endpoint: string;
  private readonly engine: EngineCalls;
  private networkReady: Promise<void> | null = null;
  private readonly execs: ExecRunner;
  private readonly gatewayUrl: (() => Promise<string | null>) | null;
  private readonly namedVolumes: DockerVolumes;
  private readonly hostPathRoots: readonly string[] | null;
  private readonly secrets: SecretReader | null;

  constructor(options: DockerRuntimeOptions) {
    this.owner = options.owner ?? DEFAULT_OWNER;
    assertValidOwner(this.owner);
    this.mode = options.mode;
    this.hostPathRoots = options.hostPathRoots ? [...options.hostPathRoots] : null;
    this.network = options.network ?? 'dsr';
    if (this.mode === 'network') assertUsableNetwork(this.network);
    this.docker = options.docker ?? defaultDocker();
    this.endpoint = describeEndpoint(this.docker);
    this.engine = new EngineCalls(this.docker, this.endpoint);
    this.execs = new ExecRunner(this.docker, this.endpoint);
    this.gatewayUrl = options.gatewayUrl ?? null;
    this.secrets = options.secrets ?? null;
    this.namedVolumes = new DockerVolumes(this.docker, this.owner, { call: (op, fn) => this.engine.call(op, fn), callAllowing: (op, ok, fn) => this.engine.callAllowing(op, ok, fn) });
  }

  /** Resolves when the engine answers. */
  async ping(): Promise<void> {
    await this.engine.call('ping the Docker engine', () => this.docker.ping());
  }

  /**
   * Where the internal gateway listener binds and the host its DSR_GATEWAY_URL names: host mode,
   * the default bridge's gateway address (instances are on that bridge); network mode, DSR's own
   * address on the shared network, found by inspecting its container (`self`, default the
   * hostname, which Docker sets to the container id). Throws what to change when neither applies.
   */
  async internalGatewayAddress(self: string = hostname()): Promise<InternalAddress> {
    if (this.mode === 'host') {
      const network = (await this.engine.call('inspect the default bridge network', () => this.docker.getNetwork('bridge').inspect())) as NetworkFacts;
      return chooseInternalAddress('host', { network }, 'bridge');
    }
    const found = await this.engine.callAllowing(`inspect DSR's own container ${self}`, [404], () => this.docker.getContainer(self).inspect());
    if (!found) {
      throw new DockerOperationError(`find DSR's own container "${self}" (its hostname) to bind the internal gateway on network "${this.network}"`, { cause: new Error('no such container: do not give DSR\'s container a custom hostname') });
    }
    return chooseInternalAddress('network', { self: found }, this.network);
  }

  /** The template's secret variables, read now: values live only in this call and the container's Env. */
  private async secretEnv(name: string, spec: InstanceSpec): Promise<Record<string, string>> {
    const names = spec.template.secrets.map((x) => x.name);
    if (names.length === 0) return {};
    if (!this.secrets) throw new DockerOperationError(`create ${name}`, { cause: new Error('this runtime was opened without a secrets folder (DSR_SECRETS)') });
    try {
      return await this.secrets.read(names);
    } catch (err) {
      // The reader's errors name the file and line, never a value.
      throw new DockerOperationError(`create ${name}: read secret file(s) ${names.join(', ')}`, { cause: err });
    }
  }

  /** This owner's containers in one list call (the reconciler runs this every pass). */
  async list(): Promise<ObservedContainer[]> {
    return this.listWhere('list DSR containers', {});
  }

  /** Creates and starts an instance, or adopts the container of that name if its spec hash matches. */
  async create(wanted: InstanceSpec): Promise<ObservedContainer> {
    const spec = await resolveHostPaths(wanted, this.hostPathRoots);
    const name = containerName(this.owner, spec.service, spec.version, spec.index);
    if (this.mode === 'network') await this.engine.call(`create network ${this.network}`, () => this.ensureNetworkOnce());
    // Before creating: an instance created without its DSR_GATEWAY_URL would keep lacking it.
    const gatewayUrl = this.gatewayUrl ? await this.engine.call(`create ${name}: start the internal gateway listener for DSR_GATEWAY_URL`, this.gatewayUrl) : null;
    await this.namedVolumes.ensure(spec);
    const secretEnv = await this.secretEnv(name, spec);
    let id: string;
    try {
      id = (await this.docker.createContainer(containerCreateOptions(this.owner, spec, { mode: this.mode, network: this.network, gatewayUrl }, secretEnv))).id;
    } catch (err) {
      if (statusCodeOf(err) !== 409) throw wrapDockerError(this.endpoint, `create ${name} from ${spec.template.image}`, err);
      id = await this.adoptable(name, spec.specHash, err);
    }
    await this.startOrDiscard(id, name);
    const [observed] = await this.listWhere(`observe ${name}`, { id: [id] });
    if (!observed) throw new DockerOperationError(`create ${name}`, { cause: new Error('the container disappeared right after it started') });
    return observed;
  }

  /** This owner's named volumes, with the containers using each. */
  volumes(): Promise<VolumeInfo[]> {
    return this.namedVolumes.volumes();
  }

  /** Removes a service's named volume unless a container uses it (VolumeInUseError); gone is success. */
  removeVolume(service: string, name: string): Promise<void> {
    return this.namedVolumes.removeVolume(service, name);
  }

  /** Stops a container; 304 (already stopped) and 404 (gone) are success. */
  async stop(id: string, timeoutSec = 10): Promise<void> {
    await this.engine.callAllowing(`stop container ${id}`, [304, 404], () => this.docker.getContainer(id).stop({ t: timeoutSec }));
  }

  /** Force-removes a container with its anonymous volumes; gone or already being removed is success. */
  async remove(id: string): Promise<void> {
    this.execs.forget(id);
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 404 || (status === 409 && /already in progress/i.test(dockerMessage(err)))) return;
      throw wrapDockerError(this.endpoint, `remove container ${id}`, err);
    }
  }

  /** Runs a command in a running container (see ExecRunner for a command that outlives its timeout). */
  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return this.execs.run(id, command, timeoutMs);
  }

  /** Whether the image is present locally. */
  hasImage(image: string): Promise<boolean> {
    return this.engine.hasImage(image);
  }

  /** Pulls an image; registry and engine failures become ImagePullError. */
  pullImage(image: string, onProgress: (p: PullProgress) => void): Promise<void> {
    return this.engine.pullImage(image, onProgress);
  }

  /** This owner's container events, reconnecting with back-off; call the result to stop. */
  events(onEvent: (e: RuntimeEvent) => void): () => void {
    return this.engine.watchOwnerEvents(this.owner, onEvent);
  }

  /**
   * Reads a container's log as complete lines (demultiplexed, timestamped), calling `onLine` for
   * each; with `follow`, until the container stops or `signal` aborts. `sinceMs` and `tail`
   * bound what is read from before now ('all' = everything).
   */
  async logs(id: string, options: LogOptions, onLine: (line: RawLogLine) => void): Promise<void> {
    const container = this.docker.getContainer(id);
    // dockerode types logs() per follow value; one source for both keeps readLogs engine-neutral.
    const source: LogSource = (opts) => (opts.follow ? container.logs({ ...opts, follow: true }) : container.logs({ ...opts, follow: false }));
    await readLogs(source, options, onLine, (op, fn) => this.engine.call(op, fn), `container ${id}`);
  }

  private async listWhere(operation: string, extra: Record<string, string[]>): Promise<ObservedContainer[]> {
    const filters = { label: ownerLabelFilters(this.owner), ...extra };
    const entries = await this.engine.call(operation, () => this.docker.listContainers({ all: true, filters }));
    return entries.flatMap((entry) => toObserved(entry, this.mode) ?? []);
  }

  /** The id of the existing container called `name` if DSR may reuse it, else ContainerConflictError. */
  private async adoptable(name: string, wantedHash: string, conflict: unknown): Promise<string> {
    const info = await this.engine.call(`inspect existing container ${name}`, () => this.docker.getContainer(name).inspect());
    const labels = info.Config.Labels ?? {};
    if (labels[LABELS.managedBy] !== MANAGED_BY || labels[LABELS.owner] !== this.owner) {
      throw new ContainerConflictError(name, `a container with this name exists that this DSR (owner "${this.owner}") does not manage; rename or remove it`, { cause: conflict, foreign: true });
    }
    if (labels[LABELS.specHash] !== wantedHash) {
      throw new ContainerConflictError(name, `it exists with spec hash ${labels[LABELS.specHash] ?? '(none)'}, not ${wantedHash}; remove it first`, { cause: conflict });
    }
    return info.Id;
  }

  /** Starts the container; if it cannot start, removes it so a failed create leaves nothing behind. */
  private async startOrDiscard(id: string, name: string): Promise<void> {
    try {
      await this.engine.callAllowing(`start ${name}`, [304], () => this.docker.getContainer(id).start());
    } catch (err) {
      await this.remove(id).catch(() => undefined); // best effort: the start error is the one to report
      throw err;
    }
  }

  private ensureNetworkOnce(): Promise<void> {
    this.networkReady ??= ensureNetwork(this.docker, this.network, networkLabels(this.owner)).catch((err: unknown) => {
      this.networkReady = null; // let the next create try again
      throw err;
    });
    return this.networkReady;
  }
}
