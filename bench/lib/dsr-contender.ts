// DSR as the contender: an in-process Controller (as `dsr run` wires it, without the HTTP
// server) on a temp git repository of N one-replica manifests, the real Docker engine under its
// own owner. Up is timed from opening DSR to every service `Healthy` with its container running;
// down from the commit that deletes every manifest to an empty list(). Engine calls and health
// events are recorded on the way, for the profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.js';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { openStateStore } from '../../src/store/open-state.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DEFAULT_STATE, type DsrState } from '../../src/store/state.js';
import { cleanupOwner } from '../../test/helpers/docker.js';
import { GitRepo, manifest } from '../../test/helpers/git-repo.js';
import { measureCpu, type CpuWindow } from './cpu.js';
import { IMAGE, PORT, serviceNames } from './fleet.js';
import { CountingStore, type StoreStats } from './counting-store.js';
import { InstrumentedRuntime, type RuntimeStats } from './instrumented-runtime.js';
import { sleep } from './wait-healthy.js';

/** How often the bench looks at DSR's status (and, for teardown, at list()). */
export const STATUS_POLL_MS = 50;

export interface DsrRigOptions {
  owner: string;
  services: number;
  /** Health interval written in the manifests for the convergence, e.g. `1s`. */
  interval: string;
  /** The controller's work-queue concurrency; undefined = DSR's default. */
  concurrency?: number;
  /** `memory` swaps the lowdb state file for MemoryStore, to isolate what persisting costs. */
  store?: 'lowdb' | 'memory';
}

/** One timed transition of DSR and what the engine saw meanwhile; times in ms from the start of the window. */
export interface DsrWindow {
  seconds: number;
  stats: RuntimeStats;
  store: StoreStats;
  /** CPU this process used in the window (DSR, plus the bench's light polling), in ms. */
  cpuMs: number;
  start: number;
  /** When `controller.start()` returned (up only). */
  startedMs: number | null;
  /** performance.now() of each service's `instance.healthy` event. */
  healthyAt: Map<string, number>;
}

/** The idle measurement: CPU and the engine calls DSR made meanwhile. */
export interface DsrIdle extends CpuWindow {
  listCalls: number;
  store: StoreStats;
  interval: string;
}

/** CPU ms this process used since `since` (a process.cpuUsage() reading). */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Polls `check` every STATUS_POLL_MS until it is true; throws naming `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`DSR: timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(STATUS_POLL_MS);
  }
}

/** A DSR on its own repository, data folder and owner; `dispose()` removes all of it. */
export class DsrRig {
  readonly repo = new GitRepo('dsr-bench-git-');
  readonly dataDir = mkdtempSync(join(tmpdir(), 'dsr-bench-data-'));
  readonly names: string[];
  readonly runtime: InstrumentedRuntime;
  /** Uninstrumented, for the bench's own observations (they must not count as DSR's calls). */
  private readonly observer: DockerRuntime;
  private controller: Controller | null = null;
  private events: JsonlEventLog | null = null;
  private store: CountingStore<DsrState> | null = null;
  private healthyAt = new Map<string, number>();

  constructor(private readonly options: DsrRigOptions) {
    this.names = serviceNames(options.services);
    this.runtime = new InstrumentedRuntime(new DockerRuntime({ mode: 'host', owner: options.owner }));
    this.observer = new DockerRuntime({ mode: 'host', owner: options.owner });
    this.writeManifests(options.interval);
    this.repo.commit(`${options.services} services`);
  }

  private writeManifests(interval: string): void {
    for (const name of this.names) this.repo.write(`${name}.yaml`, manifest(name, { image: IMAGE, port: PORT, interval }));
  }

  /** Opens DSR and waits until every service is Healthy with its one container running. */
  async up(): Promise<DsrWindow> {
    this.runtime.reset();
    this.healthyAt = new Map();
    const cpu = process.cpuUsage();
    const start = performance.now();
    this.events = await JsonlEventLog.open(join(this.dataDir, 'events'));
    this.events.subscribe((e) => {
      if (e.kind === 'instance.healthy' && e.service) this.healthyAt.set(e.service, performance.now());
    });
    this.store = new CountingStore(this.options.store === 'memory' ? new MemoryStore(DEFAULT_STATE) : await openStateStore(this.dataDir));
    const source = await ManifestSource.open({ dir: this.repo.dir });
    const controller = new Controller({
      runtime: this.runtime, source, events: this.events, store: this.store, allowEmpty: true, log: () => undefined,
      ...(this.options.concurrency ? { concurrency: this.options.concurrency } : {}),
    });
    this.controller = controller;
    await controller.start();
    const startedMs = performance.now() - start;
    await until(`${this.names.length} services to be Healthy`, async () => {
      if (!this.names.every((name) => controller.status(name)?.phase === 'Healthy')) return false;
      // Healthy is computed from the last pass's observation; confirm against the engine once.
      const running = (await this.observer.list()).filter((c) => c.state === 'running');
      return running.length === this.names.length;
    }, 120_000);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, stats: this.runtime.reset(), store: this.store.reset(), cpuMs: cpuMs(cpu), start, startedMs, healthyAt: this.healthyAt };
  }

  /** Commits the manifests with another health interval (no container changes) and waits until DSR applied it. */
  async retune(interval: string): Promise<void> {
    const controller = this.requireController();
    this.writeManifests(interval);
    const head = this.repo.commit(`health interval ${interval}`);
    await until(`revision ${head} to be loaded`, () => controller.revision() === head, 30_000);
    await controller.settled();
  }

  /** Measures CPU over `seconds` while DSR has nothing to do. */
  async idle(seconds: number, interval: string): Promise<DsrIdle> {
    this.runtime.reset();
    this.store?.reset();
    const cpu = await measureCpu(seconds);
    const listCalls = this.runtime.reset().list.count;
    const store = this.store?.reset() ?? { updates: 0, writes: 0, totalMs: 0 };
    const controller = this.requireController();
    const unhealthy = this.names.filter((name) => controller.status(name)?.phase !== 'Healthy');
    if (unhealthy.length > 0) throw new Error(`DSR: ${unhealthy.length} service(s) not Healthy after the idle window: ${unhealthy.slice(0, 5).join(', ')}`);
    return { ...cpu, listCalls, store, interval };
  }

  /** Deletes every manifest in one commit and waits until DSR removed every container. */
  async down(): Promise<DsrWindow> {
    this.requireController();
    for (const name of this.names) rmSync(join(this.repo.dir, `${name}.yaml`));
    this.runtime.reset();
    this.store?.reset();
    const cpu = process.cpuUsage();
    const start = performance.now();
    this.repo.commit('remove every service');
    // Ask the engine only once DSR has issued a remove per container (or once a second before):
    // listing every 50 ms meanwhile would slow the removals the baselines do without such load.
    let ticks = 0;
    await until('every container to be removed', async () => {
      if (this.runtime.stats.remove.count < this.names.length && ++ticks % 20 !== 0) return false;
      return (await this.observer.list()).length === 0;
    }, 120_000);
    const seconds = (performance.now() - start) / 1000;
    const store = this.store?.reset() ?? { updates: 0, writes: 0, totalMs: 0 };
    return { seconds, stats: this.runtime.reset(), store, cpuMs: cpuMs(cpu), start, startedMs: null, healthyAt: new Map() };
  }

  /** Stops DSR and removes its containers, repository and data folder; tries every step. */
  async dispose(): Promise<void> {
    const steps: Array<() => Promise<void> | void> = [
      () => this.controller?.stop(),
      () => this.events?.close(),
      () => this.store?.close(),
      () => cleanupOwner(this.options.owner),
      () => this.repo.remove(),
      () => rmSync(this.dataDir, { recursive: true, force: true }),
    ];
    const errors: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `DSR cleanup failed for owner ${this.options.owner}`);
  }

  private requireController(): Controller {
    if (!this.controller) throw new Error('DSR is not up');
    return this.controller;
  }
}
