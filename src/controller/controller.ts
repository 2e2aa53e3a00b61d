// The controller: keeps Docker converged on the manifests. It owns the loop (work queue, Docker
// events, periodic resync), the desired state and the in-memory health, and hands the route table
// to the gateway. Every decision is made by the pure modules (plan/, health/, routes.ts,
// status.ts); this file only observes, calls them, applies and records.
import type { Runtime, ObservedContainer, RuntimeEvent } from '../runtime/runtime.js';
import { isDockerUnavailable } from '../runtime/errors.js';
import type { EventLog, NewEvent } from '../events/types.js';
import type { Store } from '../store/store.js';
import type { DsrState } from '../store/state.js';
import type { Source } from '../source/source.js';
import { loadManifests } from '../manifest/load.js';
import type { ServiceSpec } from '../manifest/service-spec.js';
import { formatManifestError } from '../manifest/service-spec.js';
import { Prober } from '../health/prober.js';
import type { InstanceHealth, ProbeState } from '../health/thresholds.js';
import { describeBackoff, recordFailure, settle, type BackoffState } from '../health/backoff.js';
import { backoffKey, plan } from '../plan/plan.js';
import { pruneBlockedReason } from '../plan/guard.js';
import { describeAction, type Action } from '../plan/actions.js';
import type { RouteTable } from '../gateway/route-table.js';
import { WorkQueue, type PassResult } from './work-queue.js';
import { emptyDesiredState, mergeLoad, type DesiredState } from './merge-load.js';
import { ApplyError, applyActions } from './apply.js';
import { buildRouteTable } from './routes.js';
import { serviceStatus, type ServiceStatus } from './status.js';
import { ImagePuller } from './image-puller.js';
import { NO_TRAFFIC, persistedVersions, readRolloutState, rolloutPass, type TrafficView } from './rollouts.js';
import type { DesiredService } from '../plan/wanted.js';
import type { RolloutCommand } from '../rollout/types.js';
import { commandRejection } from '../rollout/commands.js';
import { addHistory, fastTrack, pinEndedBy, readHistory, readPin, rollbackTarget, versionsOf, type HistoryEntry, type Pin } from './history.js';
import { TerminalBlocks, actionKey, specFingerprint, terminalAdvice } from './terminal.js';

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

/** What one reconcile pass did: its key (a service, or `*` for discovery), its Docker actions, whether it failed. */
export interface PassReport {
  key: string;
  durationMs: number;
  actions: Array<{ type: Action['type']; failed: boolean }>;
  error: Error | null;
}

/** Docker reachability as last seen. */
export interface DockerStatus {
  available: boolean;
  error: string | null;
  since: string;
}

/** The reconcile loop of one DSR process. */
export class Controller {
  private desired: DesiredState = emptyDesiredState();
  private observed: ObservedContainer[] = [];
  private readonly backoff = new Map<string, BackoffState>();
  private readonly issues = new Map<string, string>();
  /** Actions stopped on a terminal error, per service, until its manifest changes or `dsr retry`. */
  private readonly blocks = new TerminalBlocks();
  private readonly reported = new Set<string>();
  private readonly queue: WorkQueue;
  private readonly prober: Prober;
  private readonly puller: ImagePuller;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private dockerStatus: DockerStatus;
  private stopEvents: (() => void) | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private loading: Promise<void> = Promise.resolve();
  private loadedOnce = false;
  private listCache: { at: number; list: Promise<ObservedContainer[]> } | null = null;
  /** Per service: what the last pass decided must run (rollout weights applied) and the rollout summary. */
  private readonly effective = new Map<string, { desired: DesiredService; summary: string }>();
  /**
   * Containers leaving: a pass is draining or has removed them. They get no route, whatever their
   * health, until a container list no longer shows them (a list started before the removal may).
   */
  private readonly leaving = new Set<string>();
  /** Aborted by stop(): drains still waiting give up (the next start drains those instances again). */
  private readonly stopping = new AbortController();
  /** Instances routed before this controller started, until the prober judges them (options.trustedInstances). */
  private readonly trusted: Set<string>;
  /** Operator commands waiting for the next pass of their service. */
  private readonly commands = new Map<string, { command: RolloutCommand; done: (error: Error | null) => void }>();

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
    this.trusted = new Set(options.trustedInstances ?? []);
    this.log = options.log ?? ((m) => console.log(m));
    this.dockerStatus = { available: true, error: null, since: new Date(this.now()).toISOString() };
    this.queue = new WorkQueue((key, release) => this.reportedPass(key, release), {
      concurrency: options.concurrency ?? 8,
      onError: (key, error, retryIn) => {
        this.log(`reconcile ${key} failed (retrying in ${retryIn} ms): ${(error as Error).message}`);
      },
    });
    this.prober = new Prober({ onChange: (id, previous, next) => this.onHealthChange(id, previous, next) });
    this.puller = new ImagePuller(options.runtime, (e) => this.record(e));
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
    for (const [name, pending] of this.commands) {
      pending.done(new CommandError(503, 'DSR is shutting down; the command was not applied'));
      this.commands.delete(name);
    }
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
    this.loading = this.loading.then(() => this.loadOnce()).catch((error: unknown) => {
      this.log(`loading manifests failed: ${(error as Error).message}`);
    });
    return this.loading;
  }

  private async loadOnce(): Promise<void> {
    // A resync of an unchanged commit needs no re-read: the desired state is already that commit's.
    if (this.loadedOnce && this.desired.revision !== null && (await this.options.source.headRevision()) === this.desired.revision) {
      this.enqueueAll();
      return;
    }
    const snapshot = await this.options.source.read();
    if (snapshot.unavailable) {
      await this.reportOnce(`source:${snapshot.unavailable}`, { kind: 'manifest.unavailable', message: snapshot.unavailable });
      this.enqueueAll();
      return;
    }
    const previous = this.desired;
    const load = loadManifests(snapshot.files);
    const lastValid = this.lastValidSpecs();
    const next = mergeLoad(load, snapshot.revision, lastValid);
    this.desired = next;
    await this.applyPins(next, new Map(load.services.map((spec) => [spec.name, spec])));
    try {
      // The last valid specs are saved before the load is announced (an event never describes
      // unsaved state), and whenever they differ from what is stored, not only on a new revision.
      await this.options.store.update((state) => {
        for (const spec of load.services) {
          const entry = (state.services[spec.name] ??= { appliedRevision: null, appliedAt: null, rollout: null, spec: null });
          if (JSON.stringify(entry.spec) !== JSON.stringify(spec)) entry.spec = spec;
        }
      });
      if (previous.revision !== next.revision || !this.loadedOnce) await this.recordLoad(next, load.services.length, load.fileCount);
    } finally {
      this.loadedOnce = true;
      this.enqueueAll();
    }
  }

  private async recordLoad(state: DesiredState, valid: number, files: number): Promise<void> {
    const invalidFiles = new Set(state.errors.map((e) => e.file));
    await this.record({
      kind: 'manifest.loaded',
      revision: state.revision,
      message: `loaded ${files} manifest file(s) at ${state.revision ?? 'no revision'}: ${valid} valid service(s), ${state.errors.length} error(s)`,
      data: { files, services: [...state.services.keys()], invalidFiles: [...invalidFiles] },
    });
    for (const file of invalidFiles) {
      const errors = state.errors.filter((e) => e.file === file);
      const services = [...state.invalid].filter(([, v]) => v.file === file).map(([name]) => name);
      await this.record({
        kind: 'manifest.invalid',
        service: services.length === 1 ? services[0]! : null,
        revision: state.revision,
        message: `${file} is invalid; ${services.length ? `${services.join(', ')} kept at the last valid state` : 'nothing applied from it'}: ${errors.map(formatManifestError).join('; ')}`,
        data: { file, services, errors },
      });
    }
  }

  private lastValidSpecs(): Map<string, ServiceSpec> {
    const specs = new Map<string, ServiceSpec>();
    for (const [name, spec] of this.desired.services) specs.set(name, spec);
    for (const [name, entry] of Object.entries(this.options.store.read().services)) {
      if (!specs.has(name) && entry.spec) specs.set(name, entry.spec as ServiceSpec);
    }
    return specs;
  }

  private enqueueAll(): void {
    const names = new Set([...this.desired.services.keys(), ...this.desired.frozen, ...this.observed.map((c) => c.service)]);
    for (const name of names) this.queue.add(name);
    this.queue.add(ALL_SERVICES);
  }

  /** Runs one pass and tells `onPass` what it did. */
  private async reportedPass(key: string, release: () => void): Promise<PassResult> {
    const report: PassReport = { key, durationMs: 0, actions: [], error: null };
    const started = performance.now();
    try {
      return await this.reconcile(key, report, release);
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

  /** One pass for one service (or the `*` key, which only discovers services to prune). */
  private async reconcile(key: string, report: PassReport, release: () => void): Promise<PassResult> {
    // Before the first load the desired state is empty, not "nothing": a pass now (a Docker
    // event arriving first) could prune every adopted container. The first load enqueues all.
    if (!this.loadedOnce) return {};
    let observed: ObservedContainer[];
    try {
      observed = await this.listContainers();
    } catch (error) {
      if (isDockerUnavailable(error)) await this.setDocker(false, (error as Error).message);
      // An operator's command waiting for this pass must not hang until the CLI times out.
      const pending = this.commands.get(key);
      if (pending) {
        this.commands.delete(key);
        pending.done(new CommandError(503, `not applied: ${(error as Error).message}`));
      }
      throw error;
    }
    await this.setDocker(true, null);
    this.observed = observed;
    for (const id of this.leaving) if (!observed.some((c) => c.id === id)) this.leaving.delete(id);
    this.syncProber();
    this.publishRoutes();
    if (key === ALL_SERVICES) {
      for (const name of new Set(observed.map((c) => c.service))) if (!this.desired.services.has(name)) this.queue.add(name);
      return {};
    }
    return this.reconcileService(key, observed, report, release);
  }

  private async reconcileService(name: string, observed: ObservedContainer[], report: PassReport, release: () => void): Promise<PassResult> {
    const spec = this.desired.services.get(name);
    const mine = observed.filter((c) => c.service === name);
    const blocked = spec ? null : pruneBlockedReason({
      declared: this.desired.services.size,
      unnamedFailures: this.desired.unnamedFailures,
      running: new Set(observed.map((c) => c.service)),
      known: new Set([...this.desired.services.keys(), ...this.desired.frozen]),
      allowEmpty: this.options.allowEmpty ?? false,
    });
    if (blocked) {
      await this.reportOnce(`prune:${this.desired.revision}:${blocked}`, { kind: 'prune.blocked', service: name, revision: this.desired.revision, message: blocked });
      return {};
    }
    if (!spec && !this.desired.frozen.has(name) && mine.length === 0 && this.options.store.read().services[name]) {
      // Removed for good: forget its stable version and last spec, so a service re-added later
      // under the same name starts fresh instead of reviving an old version.
      await this.options.store.update((state) => {
        delete state.services[name];
      });
      return {};
    }
    const now = this.now();
    for (const [k, b] of this.backoff) {
      const settled = settle(b, now);
      if (!settled) this.backoff.delete(k);
    }
    let desired: DesiredService | null = null;
    let requeueRollout: number | null = null;
    if (spec) {
      const pending = this.commands.get(name);
      this.commands.delete(name);
      try {
        const pass = await rolloutPass({
          spec, revision: this.desired.revision, observed: mine, health: this.healthMap(),
          traffic: this.options.traffic ?? NO_TRAFFIC, command: pending?.command ?? null, now,
          store: this.options.store, record: (e) => this.record(e),
        });
        desired = pass.desired;
        requeueRollout = pass.result.requeueAfterMs;
        this.effective.set(name, { desired, summary: pass.result.summary });
        pending?.done(null);
      } catch (error) {
        pending?.done(error as Error);
        throw error;
      }
      this.publishRoutes();
    } else if (!this.desired.frozen.has(name) && mine.length === 0) {
      // Gone for good: forget what ran. A frozen or prune-blocked service keeps its last routes.
      this.effective.delete(name);
    }
    const result = plan({
      services: desired ? [desired] : [],
      frozen: this.desired.frozen,
      observed: mine,
      health: this.healthMap(),
      backoff: this.backoff,
      prune: true,
      pruneGracePeriodMs: (this.options.store.read().services[name]?.spec as Partial<ServiceSpec> | null | undefined)?.stopGracePeriodMs,
      now,
    });
    for (const w of result.waiting) {
      await this.reportOnce(`backoff:${w.service}/${w.version}:${w.until}`, {
        kind: 'instance.backoff', service: w.service, version: w.version, revision: this.desired.revision,
        message: `${w.reason}; next attempt in ${Math.ceil((w.until - now) / 1000)}s`,
        data: { until: new Date(w.until).toISOString(), failures: this.backoff.get(backoffKey(w.service, w.version))?.failures ?? 0 },
      });
    }
    // An action stopped on a terminal error is not retried: only a person can fix it.
    const fingerprint = specFingerprint(spec ?? null);
    const stopped = this.blocks.current(name, fingerprint);
    const actions = result.actions.filter((a) => !stopped.has(actionKey(a)));
    if (actions.length > 0) {
      this.log(`${name}: ${actions.map(describeAction).join('; ')}`);
      const failedVersions = new Set<string>();
      this.listCache = null;
      const removals = actions.filter((a) => a.type === 'remove');
      // Out of the routes before anything waits or stops: no new request reaches a leaving instance.
      for (const a of removals) this.leaving.add(a.containerId);
      if (removals.length > 0) this.publishRoutes();
      // A drain mostly waits: other services' passes may use the worker slot meanwhile (this key stays busy).
      if (removals.some((a) => a.gracePeriodMs !== null)) release();
      const outcome = await applyActions(actions, {
        runtime: this.options.runtime,
        record: (e) => this.record(e),
        revision: this.desired.revision,
        ensureImage: (action) => this.puller.ensure(action.instance.image, action.service, action.version, this.desired.revision),
        onFailureRemoved: (service, version) => failedVersions.add(backoffKey(service, version)),
        inFlight: (id) => this.options.gateway?.inFlightInstance(id) ?? 0,
        now: this.now,
        signal: this.stopping.signal,
      });
      const failed = new Set(outcome.map((e) => e.action));
      // A removal that failed may still be wanted by the next plan; one that succeeded is gone, so
      // drop it from what this process believes runs (the prober and the routes read that).
      for (const a of removals) {
        if (failed.has(a)) this.leaving.delete(a.containerId);
      }
      const removed = new Set(removals.filter((a) => !failed.has(a)).map((a) => a.containerId));
      if (removed.size > 0) this.observed = this.observed.filter((c) => !removed.has(c.id));
      report.actions = actions.map((a) => ({ type: a.type, failed: failed.has(a) }));
      const errors: ApplyError[] = [];
      for (const error of outcome) {
        const advice = terminalAdvice(error, name);
        if (!advice) errors.push(error);
        else if (this.blocks.add(name, fingerprint, actionKey(error.action), advice)) {
          // One event per blocked action: it is not retried, so it cannot repeat until a person acts.
          await this.record({
            kind: 'reconcile.blocked', service: name, version: error.action.version, revision: this.desired.revision,
            message: `${describeAction(error.action)} stopped: ${advice}`,
            data: { action: actionKey(error.action), error: error.message, advice },
          });
        }
      }
      // One failure per version per pass: instances lost together (a `docker stop` of all of
      // them) are one incident, not a crash loop, and are all replaced at once.
      for (const k of failedVersions) this.backoff.set(k, recordFailure(this.backoff.get(k), this.now()));
      if (errors.length > 0) {
        const message = errors.map((e) => e.message).join('; ');
        this.issues.set(name, message);
        await this.reportOnce(`apply:${name}:${message}`, { kind: 'reconcile.error', service: name, revision: this.desired.revision, message, data: { errors: errors.map((e) => e.message) } });
        throw errors[0]!;
      }
      this.issues.delete(name);
      return { requeueAfterMs: Math.min(1000, requeueRollout ?? 1000) };
    }
    this.issues.delete(name);
    if (spec && result.waiting.length === 0 && this.status(name)?.phase === 'Healthy') await this.markApplied(name);
    const wakeAt = Math.min(...result.waiting.map((w) => w.until), requeueRollout === null ? Infinity : now + requeueRollout);
    return Number.isFinite(wakeAt) ? { requeueAfterMs: Math.max(100, wakeAt - now) } : {};
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

  private async markApplied(name: string): Promise<void> {
    const stored = this.options.store.read().services[name];
    const pin = readPin(stored?.pin);
    // While pinned, the service runs an earlier revision's manifest: that is what it applied.
    const revision = pin ? pin.revision : this.desired.revision;
    const previous = stored?.appliedRevision ?? null;
    const spec = this.desired.services.get(name);
    const aborted = readRolloutState(this.options.store, name).rollout?.phase === 'Aborted';
    const entry: HistoryEntry | null = spec ? {
      revision, at: new Date(this.now()).toISOString(), versions: versionsOf(pin ? pin.spec : spec),
      result: pin ? 'rolled back' : aborted ? 'aborted' : 'rolled out', spec: pin ? pin.spec : spec,
    } : null;
    const history = readHistory(stored?.history);
    const nextHistory = entry ? addHistory(history, entry) : history;
    if (previous === revision && nextHistory.at(-1) === history.at(-1)) return;
    await this.options.store.update((state) => {
      const e = (state.services[name] ??= { appliedRevision: null, appliedAt: null, rollout: null, spec: null });
      e.appliedRevision = revision;
      e.appliedAt = new Date(this.now()).toISOString();
      e.history = nextHistory;
    });
    if (pin && previous !== revision) {
      await this.record({ kind: 'rollback.completed', service: name, revision, message: `${name} rolled back to ${revision ?? 'the pinned manifest'} (${entry?.versions.join(', ')}); pinned until dsr unpin ${name} or a commit that changes its manifest` });
    }
    if (previous !== revision) await this.record({ kind: 'service.synced', service: name, revision, message: `${name} is in sync with ${revision ?? 'the manifests'}${pin ? ' (pinned by a rollback)' : ''}` });
  }

  /**
   * Holds pinned services at their pinned manifest (on the fast track), and ends a pin whose
   * service's manifest a commit changed: the newer commit wins over an old rollback.
   */
  private async applyPins(next: DesiredState, loaded: ReadonlyMap<string, ServiceSpec>): Promise<void> {
    for (const [name, entry] of Object.entries(this.options.store.read().services)) {
      const pin = readPin(entry.pin);
      if (!pin) continue;
      // Only a valid manifest in this load can end a pin; a broken file keeps it.
      if (pinEndedBy(pin, loaded.get(name))) {
        await this.options.store.update((state) => {
          if (state.services[name]) delete state.services[name]!.pin;
        });
        await this.record({ kind: 'rollback.unpinned', service: name, revision: next.revision, message: `${name} unpinned: ${next.revision ?? 'a new load'} changes its manifest; rolling out that instead of ${pin.revision ?? 'the pinned revision'}`, data: { pinned: pin.revision, reason: 'manifest changed' } });
        continue;
      }
      if (next.services.has(name)) next.services.set(name, fastTrack(pin.spec));
    }
  }

  /**
   * Pins a service to its manifest at an earlier revision (`to`, or the last one that rolled out
   * before what runs now) and rolls it out on the fast track: health-gated, no analysis pauses.
   */
  async rollback(name: string, to: string | null): Promise<Pin> {
    const manifest = this.manifestSpec(name);
    if (!manifest) throw new CommandError(404, `no service named ${JSON.stringify(name)} is declared`);
    const stored = this.options.store.read().services[name];
    const running = readPin(stored?.pin)?.spec ?? manifest;
    const target = rollbackTarget(readHistory(stored?.history), running, to);
    if (typeof target === 'string') throw new CommandError(409, target);
    const pin: Pin = { revision: target.revision, at: new Date(this.now()).toISOString(), spec: target.spec, manifest };
    await this.options.store.update((state) => {
      const e = (state.services[name] ??= { appliedRevision: null, appliedAt: null, rollout: null, spec: null });
      e.pin = pin;
    });
    await this.record({
      kind: 'rollback.started', service: name, revision: target.revision,
      message: `rollback of ${name} to ${target.revision ?? 'an earlier revision'} (${target.versions.join(', ')}) requested by an operator; fast track: health-gated, no analysis pauses`,
      data: { to: target.revision, versions: target.versions },
    });
    this.desired.services.set(name, fastTrack(pin.spec));
    this.queue.add(name);
    return pin;
  }

  /** Ends a rollback pin: the service goes back to its manifest (a normal rollout). */
  async unpin(name: string): Promise<void> {
    const pin = readPin(this.options.store.read().services[name]?.pin);
    if (!pin) throw new CommandError(409, `${name} is not pinned`);
    await this.options.store.update((state) => {
      if (state.services[name]) delete state.services[name]!.pin;
    });
    await this.record({ kind: 'rollback.unpinned', service: name, revision: this.desired.revision, message: `${name} unpinned by an operator: back to its manifest at ${this.desired.revision ?? 'the current revision'}`, data: { pinned: pin.revision, reason: 'operator' } });
    // The manifest as declared: the next load would give the same; this makes it take effect now.
    const manifest = this.manifestSpec(name);
    if (manifest) this.desired.services.set(name, manifest);
    this.queue.add(name);
  }

  /** The revisions applied to a service, oldest first, and its pin. */
  history(name: string): { history: HistoryEntry[]; pin: Pin | null } | undefined {
    const stored = this.options.store.read().services[name];
    if (!stored && !this.desired.services.has(name)) return undefined;
    return { history: readHistory(stored?.history), pin: readPin(stored?.pin) };
  }

  /** The service's manifest as declared (before any pin), from the last valid specs saved. */
  private manifestSpec(name: string): ServiceSpec | null {
    if (!this.desired.services.has(name)) return null;
    return (this.options.store.read().services[name]?.spec as ServiceSpec | undefined) ?? this.desired.services.get(name) ?? null;
  }

  private healthMap(): Map<string, InstanceHealth> {
    const map = new Map<string, InstanceHealth>();
    for (const [id, state] of this.prober.snapshot()) map.set(id, state.health);
    return map;
  }

  private syncProber(): void {
    this.prober.sync(
      this.observed.flatMap((c) => {
        const spec = this.desired.services.get(c.service) ?? (this.options.store.read().services[c.service]?.spec as ServiceSpec | undefined);
        if (c.state !== 'running' || !c.address || !spec) return [];
        return [{ id: c.id, service: c.service, version: c.version, address: c.address, startedAt: Date.parse(c.createdAt), spec: spec.health }];
      }),
    );
  }

  private publishRoutes(): void {
    if (!this.options.gateway) return;
    // Weights come from the rollout machine's last decision; a service it has not seen yet routes as declared.
    const services = [...this.desired.services.values()].map((s) => ({
      name: s.name,
      sticky: s.gateway.sticky,
      upstreamKeepAlive: s.gateway.upstreamKeepAlive,
      versions: this.effective.get(s.name)?.desired.versions ?? persistedVersions(s, readRolloutState(this.options.store, s.name), this.observed),
    }));
    // Services DSR keeps running without a valid declaration (frozen, or removal blocked) keep
    // their traffic: keeping the containers but dropping the route would be an outage too.
    for (const [name, eff] of this.effective) {
      if (!this.desired.services.has(name)) services.push({ name, sticky: false, upstreamKeepAlive: true, versions: eff.desired.versions });
    }
    const probes = this.prober.snapshot();
    const routable = (id: string): boolean => {
      const health = probes.get(id)?.health;
      return (health === 'healthy' || (health === 'starting' && this.trusted.has(id))) && !this.leaving.has(id);
    };
    this.options.gateway.setRoutes(buildRouteTable(services, this.observed, routable));
  }

  private onHealthChange(id: string, previous: InstanceHealth, next: ProbeState): void {
    // The prober has judged it: its own verdict decides from now on.
    this.trusted.delete(id);
    const c = this.observed.find((o) => o.id === id);
    this.publishRoutes();
    if (next.health === 'healthy') this.options.gateway?.readmit(id);
    if (!c) return;
    // healthy -> starting is a passive ejection, already recorded as instance.ejected.
    if (next.health === 'unhealthy') {
      void this.record({
        kind: 'instance.unhealthy', service: c.service, version: c.version, revision: this.desired.revision,
        message: `${c.name} is unhealthy after ${next.consecutiveFailures} failed check(s): ${next.lastError ?? 'unknown error'}`,
        data: { container: c.name, containerId: id, failures: next.consecutiveFailures, error: next.lastError },
      });
    } else if (next.health === 'healthy' && previous !== 'healthy') {
      void this.record({ kind: 'instance.healthy', service: c.service, version: c.version, revision: this.desired.revision, message: `${c.name} is healthy`, data: { container: c.name, containerId: id } });
    }
    this.queue.add(c.service);
  }

  /** The gateway could not connect to an instance: out of rotation until probes pass again. */
  passiveFailure(id: string, service: string, version: string, reason: string): void {
    this.prober.markPassiveFailure(id, reason);
    this.publishRoutes();
    const c = this.observed.find((o) => o.id === id);
    void this.record({
      kind: 'instance.ejected', service, version, revision: this.desired.revision,
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
    if (this.dockerStatus.available === available) return;
    this.dockerStatus = { available, error, since: new Date(this.now()).toISOString() };
    await this.record(available
      ? { kind: 'docker.available', message: 'Docker engine reachable again; reconciling' }
      : { kind: 'docker.unavailable', message: `docker unavailable: ${error}; serving the last known instances and retrying`, data: { error } });
    if (available) this.enqueueAll();
  }

  /**
   * Applies an operator's command (promote, abort, pause, resume, retry) in the next pass of the
   * service and resolves once that pass ran. Rejects with a message when the command cannot apply.
   */
  async command(name: string, command: RolloutCommand): Promise<void> {
    if (!this.desired.services.has(name)) throw new CommandError(404, `no service named ${JSON.stringify(name)} is declared`);
    // `dsr retry` also unblocks actions stopped on a terminal error (the machine ignores a retry
    // without an aborted rollout, so it goes through the same pass either way).
    const unblocked = command.type === 'retry' && this.blocks.clear(name);
    const rejection = unblocked ? null : commandRejection(readRolloutState(this.options.store, name), command);
    if (rejection) throw new CommandError(409, command.type === 'retry' ? `nothing to retry: ${rejection}, and no action is blocked` : rejection);
    const previous = this.commands.get(name);
    previous?.done(new CommandError(409, `superseded by ${command.type}`));
    await new Promise<void>((resolve, reject) => {
      this.commands.set(name, { command, done: (error) => (error ? reject(error) : resolve()) });
      this.queue.add(name);
    });
    await this.record({ kind: `command.${command.type}`, service: name, revision: this.desired.revision, message: `${command.type}${command.type === 'promote' && command.full ? ' --full' : ''} requested by an operator`, data: { command } });
  }

  /** Docker reachability, for the API. */
  docker(): DockerStatus {
    return { ...this.dockerStatus };
  }

  /** The status of every service DSR knows of (declared, invalid or still running). */
  statuses(): ServiceStatus[] {
    const names = new Set([...this.desired.services.keys(), ...this.desired.invalid.keys(), ...this.observed.map((c) => c.service)]);
    return [...names].sort().map((n) => this.status(n)!);
  }

  /** The status of one service, or undefined when DSR does not know it. */
  status(name: string): ServiceStatus | undefined {
    const spec = this.desired.services.get(name) ?? null;
    const invalid = this.desired.invalid.get(name);
    if (!spec && !invalid && !this.observed.some((c) => c.service === name)) return undefined;
    const probes = this.prober.snapshot();
    const backoffs = spec?.versions.map((v) => describeBackoff(this.backoff.get(backoffKey(name, v.name)), this.now())).filter(Boolean) ?? [];
    const rollout = spec ? readRolloutState(this.options.store, name) : null;
    const pin = readPin(this.options.store.read().services[name]?.pin);
    const status = serviceStatus({
      name,
      spec,
      desired: spec ? (this.effective.get(name)?.desired ?? { name, port: spec.port, versions: persistedVersions(spec, rollout!, this.observed), stopGracePeriodMs: spec.stopGracePeriodMs }) : null,
      rollout: rollout && {
        state: rollout,
        summary: this.effective.get(name)?.summary ?? null,
        steps: spec?.rollout.steps.length ?? 0,
      },
      revision: this.desired.revision,
      appliedRevision: this.options.store.read().services[name]?.appliedRevision ?? null,
      containers: this.observed,
      health: (id) => {
        const p = probes.get(id);
        return p ? { health: p.health, lastError: p.lastError } : undefined;
      },
      invalid,
      // A pull failure says it best (one line per image, with the registry's words).
      issue: this.puller.failure(name) ?? this.issues.get(name) ?? null,
      backoff: backoffs.length ? backoffs.join('; ') : null,
      dockerAvailable: this.dockerStatus.available,
      draining: (id) => this.leaving.has(id),
      blocked: this.blocks.list(name),
    });
    if (!pin) return status;
    const pinned = `pinned to ${pin.revision ? pin.revision.slice(0, 12) : 'an earlier revision'} (rollback)`;
    return { ...status, pinned, message: `${pinned}; ${status.message}` };
  }

  /** The valid spec DSR applies for a service, or undefined when it declares none. */
  spec(name: string): ServiceSpec | undefined {
    return this.desired.services.get(name);
  }

  /** The manifest errors of the last load. */
  manifestErrors(): DesiredState['errors'] {
    return this.desired.errors;
  }

  /** The revision of the last load. */
  revision(): string | null {
    return this.desired.revision;
  }

  /** Records an event; a failing event log is reported but never stops reconciliation. */
  private async record(event: NewEvent): Promise<void> {
    try {
      await this.options.events.append(event);
    } catch (error) {
      this.log(`could not record event ${event.kind}: ${(error as Error).message}`);
    }
  }

  /** Records an event once per distinct key, so a condition seen every pass is reported once. */
  private async reportOnce(key: string, event: NewEvent): Promise<void> {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (this.reported.size > 10_000) this.reported.clear();
    await this.record(event);
  }
}

/** The queue key of the pass that discovers services to prune. */
const ALL_SERVICES = '*';

/** A command an operator sent that cannot apply now; `status` is the HTTP status to answer with. */
export class CommandError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
