// The controller's loop shell: keeps Docker converged on the manifests. It owns the loop (work
// queue, runtime events, periodic resync, source changes → load → queue), lists the containers
// once per burst, feeds the prober and hands the route table to the gateway. What a pass does with
// a service is the reconciler's (reconciler.ts); what is stored per service, service-records.ts;
// what the API reads, read-model.ts; operators' commands, operator-commands.ts.
import type { Runtime, ObservedContainer, RuntimeEvent } from '../runtime/runtime.js';
import { isDockerUnavailable } from '../runtime/errors.js';
import type { EventLog } from '../events/types.js';
import type { Store } from '../store/store.js';
import type { DsrState } from '../store/state.js';
import type { Source } from '../source/source.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import { Prober, probeNeedsAddress } from '../health/prober.js';
import type { InstanceHealth, ProbeState } from '../health/thresholds.js';
import type { RouteTable } from '../gateway/route-table.js';
import type { RolloutCommand } from '../rollout/types.js';
import { WorkQueue, type PassResult } from './work-queue.js';
import { buildRouteTable } from './routes.js';
import type { ServiceStatus } from './status.js';
import { ImagePuller } from './image-puller.js';
import { persistedVersions, type TrafficView } from './rollouts.js';
import type { HistoryEntry, Pin } from './history.js';
import type { DesiredState } from './merge-load.js';
import { CommandError } from './command-error.js';
import { LiveState, type DockerStatus } from './live-state.js';
import { ManifestLoader } from './manifest-loader.js';
import { OperatorCommands } from './operator-commands.js';
import { ReadModel } from './read-model.js';
import { ServiceReconciler, type PassReport } from './reconciler.js';
import { Recorder } from './recorder.js';
import { ServiceRecords } from './service-records.js';

export type { DockerStatus } from './live-state.js';
export type { PassReport } from './reconciler.js';

/** The gateway as the controller sees it. */
export interface RouteSink {
  setRoutes(table: RouteTable): void;
  readmit(instanceId: string): void;
  /** Requests (and tunnels) running against one instance: a removal waits for them (drain). */
  inFlightInstance(instanceId: string): number;
}

export interface ControllerOptions {
  runtime: Runtime;
  source: Source;
  events: EventLog;
  store: Store<DsrState>;
  gateway?: RouteSink;
  /** The gateway's traffic metrics, judged by canary analysis. */
  traffic?: TrafficView;
  allowEmpty?: boolean;
  /** Folders under which manifests may mount host paths (DSR_HOST_PATHS); none = no hostPath is valid. */
  hostPathRoots?: readonly string[];
  resyncMs?: number;
  concurrency?: number;
  log?: (message: string) => void;
  now?: () => number;
  /** Told about every finished pass (for /metrics); a throwing callback is ignored. */
  onPass?: (report: PassReport) => void;
  /**
   * Instances the gateway was routing to when this controller started (the last published table):
   * they keep their route until their first probe verdict, so a restarted controller never
   * publishes a table without the running, healthy instances it has not probed yet.
   */
  trustedInstances?: ReadonlySet<string>;
}

/** The reconcile loop of one DSR process. */
export class Controller {
  private readonly live: LiveState;
  private readonly records: ServiceRecords;
  private readonly recorder: Recorder;
  private readonly queue: WorkQueue;
  private readonly prober: Prober;
  private readonly loader: ManifestLoader;
  private readonly operator: OperatorCommands;
  private readonly readModel: ReadModel;
  private readonly reconciler: ServiceReconciler;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private stopEvents: (() => void) | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private loading: Promise<void> = Promise.resolve();
  private listCache: { at: number; list: Promise<ObservedContainer[]> } | null = null;
  /** Aborted by stop(): drains still waiting give up (the next start drains those instances again). */
  private readonly stopping = new AbortController();
  /** Instances routed before this controller started, until the prober judges them (options.trustedInstances). */
  private readonly trusted: Set<string>;

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
    this.trusted = new Set(options.trustedInstances ?? []);
    this.log = options.log ?? ((m) => console.log(m));
    this.live = new LiveState(this.now());
    this.records = new ServiceRecords(options.store);
    this.recorder = new Recorder(options.events, this.log);
    this.queue = new WorkQueue((key, release) => this.reportedPass(key, release), {
      concurrency: options.concurrency ?? 8,
      onError: (key, error, retryIn) => {
        this.log(`reconcile ${key} failed (retrying in ${retryIn} ms): ${(error as Error).message}`);
      },
    });
    this.prober = new Prober({
      onChange: (id, previous, next) => this.onHealthChange(id, previous, next),
      exec: (id, command, timeoutMs) => options.runtime.exec(id, command, timeoutMs),
    });
    const puller = new ImagePuller(options.runtime, (e) => this.recorder.record(e));
    const enqueue = (name: string): void => this.queue.add(name);
    this.loader = new ManifestLoader({ source: options.source, hostPathRoots: options.hostPathRoots ?? [], live: this.live, records: this.records, recorder: this.recorder, enqueueAll: () => this.enqueueAll() });
    this.operator = new OperatorCommands({ live: this.live, records: this.records, recorder: this.recorder, enqueue, now: this.now });
    this.readModel = new ReadModel(this.live, this.records, this.prober, puller, this.now);
    this.reconciler = new ServiceReconciler({
      runtime: options.runtime,
      live: this.live,
      records: this.records,
      recorder: this.recorder,
      prober: this.prober,
      puller,
      commands: this.operator,
      readModel: this.readModel,
      traffic: options.traffic,
      inFlight: (id) => options.gateway?.inFlightInstance(id) ?? 0,
      allowEmpty: options.allowEmpty ?? false,
      publishRoutes: () => this.publishRoutes(),
      invalidateList: () => {
        this.listCache = null;
      },
      signal: this.stopping.signal,
      now: this.now,
      log: this.log,
    });
  }

  /** Loads the manifests, starts watching them and Docker, and queues a pass for every service. */
  async start(): Promise<void> {
    this.stopEvents = this.options.runtime.events((e) => this.onRuntimeEvent(e));
    await this.reload();
    await this.options.source.watch(() => void this.reload(), (error) => this.log(`watching the manifests failed: ${error.message}; the periodic resync still reloads them`));
    const resyncMs = this.options.resyncMs ?? 30_000;
    this.resyncTimer = setInterval(() => {
      void this.reload();
    }, resyncMs);
    this.resyncTimer.unref();
  }

  /** Stops the loop; containers are left running (a restarted DSR adopts them). */
  async stop(): Promise<void> {
    this.queue.stop();
    this.stopping.abort();
    this.operator.failAll(new CommandError('unavailable', 'DSR is shutting down; the command was not applied'));
    await this.loading;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.stopEvents?.();
    this.prober.close();
    await this.options.source.close();
    await this.queue.idle();
  }

  /** Resolves once every queued pass has run (tests and `dsr plan` use it). */
  async settled(): Promise<void> {
    await this.loading;
    await this.queue.idle();
  }

  /** Re-reads the manifests and queues every service; overlapping calls run one after another. */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.loader.load()).catch((error: unknown) => {
      this.log(`loading manifests failed: ${(error as Error).message}`);
    });
    return this.loading;
  }

  private enqueueAll(): void {
    const { desired, observed } = this.live;
    const names = new Set([...desired.services.keys(), ...desired.frozen, ...observed.map((c) => c.service)]);
    for (const name of names) this.queue.add(name);
    this.queue.add(ALL_SERVICES);
  }

  /** Runs one pass and tells `onPass` what it did. */
  private async reportedPass(key: string, release: () => void): Promise<PassResult> {
    const report: PassReport = { key, durationMs: 0, actions: [], error: null };
    const started = performance.now();
    try {
      return await this.pass(key, report, release);
    } catch (error) {
      report.error = error as Error;
      throw error;
    } finally {
      report.durationMs = performance.now() - started;
      try {
        this.options.onPass?.(report);
      } catch {
        // Metrics must never change the outcome of a pass.
      }
    }
  }

  /** One pass: observe, then reconcile one service (or, for the `*` key, only discover services to prune). */
  private async pass(key: string, report: PassReport, release: () => void): Promise<PassResult> {
    // Before the first load the desired state is empty, not "nothing": a pass now (a Docker
    // event arriving first) could prune every adopted container. The first load enqueues all.
    if (!this.live.loadedOnce) return {};
    let observed: ObservedContainer[];
    try {
      observed = await this.listContainers();
    } catch (error) {
      if (isDockerUnavailable(error)) await this.setDocker(false, (error as Error).message);
      // An operator's command waiting for this pass must not hang until the CLI times out.
      this.operator.fail(key, new CommandError('unavailable', `not applied: ${(error as Error).message}`));
      throw error;
    }
    await this.setDocker(true, null);
    this.live.observed = observed;
    for (const id of this.live.leaving) if (!observed.some((c) => c.id === id)) this.live.leaving.delete(id);
    this.syncProber();
    this.publishRoutes();
    if (key === ALL_SERVICES) {
      for (const name of new Set(observed.map((c) => c.service))) if (!this.live.desired.services.has(name)) this.queue.add(name);
      return {};
    }
    return this.reconciler.reconcile(key, observed, report, release);
  }

  /**
   * One Docker `list` shared by the passes of a burst (a resync queues every service at once).
   * Any container event and any applied action invalidates it, so a pass never plans on a list
   * older than the last change DSR knows of; a second is the most it is reused regardless.
   */
  private listContainers(): Promise<ObservedContainer[]> {
    const now = this.now();
    if (this.listCache && now - this.listCache.at < 1000) return this.listCache.list;
    const list = this.options.runtime.list();
    this.listCache = { at: now, list };
    list.catch(() => {
      if (this.listCache?.list === list) this.listCache = null;
    });
    return list;
  }

  private syncProber(): void {
    this.prober.sync(
      this.live.observed.flatMap((c) => {
        const spec: ServiceSpec | null = this.live.desired.services.get(c.service) ?? this.records.lastValidSpec(c.service);
        // A worker's instance has no address; only the kinds that connect need one.
        if (c.state !== 'running' || !spec || (!c.address && probeNeedsAddress(spec.health.probe))) return [];
        return [{ id: c.id, service: c.service, version: c.version, address: c.address, startedAt: Date.parse(c.createdAt), spec: spec.health }];
      }),
    );
  }

  private publishRoutes(): void {
    if (!this.options.gateway) return;
    const { desired, observed, effective, leaving } = this.live;
    // Weights come from the rollout machine's last decision; a service it has not seen yet routes as declared.
    const services = [...desired.services.values()].map((s) => ({
      name: s.name,
      worker: s.port === null,
      sticky: s.gateway.sticky,
      upstreamKeepAlive: s.gateway.upstreamKeepAlive,
      versions: effective.get(s.name)?.desired.versions ?? persistedVersions(s, this.records.rollout(s), observed),
    }));
    // Services DSR keeps running without a valid declaration (frozen, or removal blocked) keep
    // their traffic: keeping the containers but dropping the route would be an outage too.
    for (const [name, eff] of effective) {
      if (!desired.services.has(name)) services.push({ name, worker: eff.desired.versions[0]?.template.port === null, sticky: false, upstreamKeepAlive: true, versions: eff.desired.versions });
    }
    const probes = this.prober.snapshot();
    const routable = (id: string): boolean => {
      const health = probes.get(id)?.health;
      return (health === 'healthy' || (health === 'starting' && this.trusted.has(id))) && !leaving.has(id);
    };
    this.options.gateway.setRoutes(buildRouteTable(services, observed, routable));
  }

  private onHealthChange(id: string, previous: InstanceHealth, next: ProbeState): void {
    // The prober has judged it: its own verdict decides from now on.
    this.trusted.delete(id);
    const c = this.live.observed.find((o) => o.id === id);
    this.publishRoutes();
    if (next.health === 'healthy') this.options.gateway?.readmit(id);
    if (!c) return;
    const revision = this.live.desired.revision;
    // healthy -> starting is a passive ejection, already recorded as instance.ejected.
    if (next.health === 'unhealthy') {
      void this.recorder.record({
        kind: 'instance.unhealthy', service: c.service, version: c.version, revision,
        message: `${c.name} is unhealthy after ${next.consecutiveFailures} failed check(s): ${next.lastError ?? 'unknown error'}`,
        data: { container: c.name, containerId: id, failures: next.consecutiveFailures, error: next.lastError },
      });
    } else if (next.health === 'healthy' && previous !== 'healthy') {
      void this.recorder.record({ kind: 'instance.healthy', service: c.service, version: c.version, revision, message: `${c.name} is healthy`, data: { container: c.name, containerId: id } });
    }
    this.queue.add(c.service);
  }

  /** The gateway could not connect to an instance: out of rotation until probes pass again. */
  passiveFailure(id: string, service: string, version: string, reason: string): void {
    this.prober.markPassiveFailure(id, reason);
    this.publishRoutes();
    const c = this.live.observed.find((o) => o.id === id);
    void this.recorder.record({
      kind: 'instance.ejected', service, version, revision: this.live.desired.revision,
      message: `${c?.name ?? id} taken out of rotation by the gateway: ${reason}`,
      data: { containerId: id, container: c?.name ?? null, reason },
    });
    this.queue.add(service);
  }

  private onRuntimeEvent(event: RuntimeEvent): void {
    if (event.type === 'container') {
      this.listCache = null;
      this.queue.add(event.service);
    } else if (event.type === 'disconnected') {
      void this.setDocker(false, event.error.message);
    } else {
      // Events of the outage are lost: the resync must list afresh, not reuse a list cached before it.
      this.listCache = null;
      void this.setDocker(true, null).then(() => this.enqueueAll());
    }
  }

  private async setDocker(available: boolean, error: string | null): Promise<void> {
    if (this.live.docker.available === available) return;
    this.live.docker = { available, error, since: new Date(this.now()).toISOString() };
    await this.recorder.record(available
      ? { kind: 'docker.available', message: 'Docker engine reachable again; reconciling' }
      : { kind: 'docker.unavailable', message: `docker unavailable: ${error}; serving the last known instances and retrying`, data: { error } });
    if (available) this.enqueueAll();
  }

  // The operator's side (operator-commands.ts) and the read side (read-model.ts), as the API and
  // the CLI call them.

  /** Applies an operator's rollout command in the service's next pass; see OperatorCommands.command. */
  command(name: string, command: RolloutCommand): Promise<void> {
    return this.operator.command(name, command);
  }

  /** Pins a service to an earlier revision's manifest on the fast track; see OperatorCommands.rollback. */
  rollback(name: string, to: string | null): Promise<Pin> {
    return this.operator.rollback(name, to);
  }

  /** Ends a rollback pin; see OperatorCommands.unpin. */
  unpin(name: string): Promise<void> {
    return this.operator.unpin(name);
  }

  /** The revisions applied to a service, oldest first, and its pin. */
  history(name: string): { history: HistoryEntry[]; pin: Pin | null } | undefined {
    return this.readModel.history(name);
  }

  /** Docker reachability, for the API. */
  docker(): DockerStatus {
    return this.readModel.docker();
  }

  /** The status of every service DSR knows of (declared, invalid or still running). */
  statuses(): ServiceStatus[] {
    return this.readModel.statuses();
  }

  /** The status of one service, or undefined when DSR does not know it. */
  status(name: string): ServiceStatus | undefined {
    return this.readModel.status(name);
  }

  /** The valid spec DSR applies for a service, or undefined when it declares none. */
  spec(name: string): ServiceSpec | undefined {
    return this.readModel.spec(name);
  }

  /** The manifest errors of the last load. */
  manifestErrors(): DesiredState['errors'] {
    return this.readModel.manifestErrors();
  }

  /** The revision of the last load. */
  revision(): string | null {
    return this.readModel.revision();
  }
}

/** The queue key of the pass that discovers services to prune. */
const ALL_SERVICES = '*';
