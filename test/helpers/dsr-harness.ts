// An in-process DSR for integration tests: a real git repository of manifests, the real Docker
// engine (under a unique owner, so tests never see each other's containers), a real event log and
// state file in a temp folder. Everything it creates is removed by `dispose()`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import type { DsrEvent } from '../../src/events/types.js';
import { openStateStore } from '../../src/store/open-state.js';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { Controller, type RouteSink } from '../../src/controller/controller.js';
import { GitRepo } from './git-repo.js';
import { cleanupOwner, uniqueOwner } from './docker.js';
import { waitFor } from './wait.js';

export interface Harness {
  repo: GitRepo;
  owner: string;
  dataDir: string;
  runtime: DockerRuntime;
  controller: Controller;
  events: JsonlEventLog;
  /** This owner's containers, sorted by name. */
  containers(filter?: (c: ObservedContainer) => boolean): Promise<ObservedContainer[]>;
  /** Events of a kind (prefix ending in '.' for a family), optionally of one service. */
  eventsOf(kind: string, service?: string): Promise<DsrEvent[]>;
  /** Waits until `service` has exactly `n` running containers that are all healthy. */
  waitHealthy(service: string, n: number, timeoutMs?: number): Promise<ObservedContainer[]>;
  /** Stops the controller (containers keep running). */
  stop(): Promise<void>;
  /** Stops everything and removes every container, file and folder the harness made. */
  dispose(): Promise<void>;
}

/** Starts a controller on a fresh repository holding `files` (path -> content), committed once. */
export async function startHarness(files: Record<string, string>, options: { allowEmpty?: boolean; gateway?: RouteSink; owner?: string; repo?: GitRepo; dataDir?: string; runtime?: (owner: string) => DockerRuntime } = {}): Promise<Harness> {
  const repo = options.repo ?? new GitRepo();
  if (!options.repo) {
    for (const [path, content] of Object.entries(files)) repo.write(path, content);
    repo.commit('initial manifests');
  }
  const owner = options.owner ?? uniqueOwner();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dsr-data-'));
  const runtime = options.runtime?.(owner) ?? new DockerRuntime({ mode: 'host', owner });
  const events = await JsonlEventLog.open(join(dataDir, 'events'));
  const store = await openStateStore(dataDir);
  const source = await ManifestSource.open({ dir: repo.dir, debounceMs: 100 });
  const controller = new Controller({
    runtime, source, events, store, gateway: options.gateway, allowEmpty: options.allowEmpty, resyncMs: 2_000, log: () => {},
  });
  await controller.start();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await controller.stop();
    await events.close();
    await store.close();
  };
  const harness: Harness = {
    repo, owner, dataDir, runtime, controller, events,
    async containers(filter = () => true) {
      return (await runtime.list()).filter(filter).sort((a, b) => a.name.localeCompare(b.name));
    },
    async eventsOf(kind, service) {
      return events.query({ kind, ...(service ? { service } : {}), limit: 10_000 });
    },
    async waitHealthy(service, n, timeoutMs = 30_000) {
      return waitFor(`${service} to have ${n} healthy instance(s)`, async () => {
        const status = controller.status(service);
        const running = (await harness.containers((c) => c.service === service)).filter((c) => c.state === 'running');
        const healthy = status?.instances.filter((i) => i.health === 'healthy' && i.current).length ?? 0;
        return running.length === n && healthy === n && status?.phase === 'Healthy' ? running : null;
      }, timeoutMs);
    },
    stop,
    async dispose() {
      await stop();
      await cleanupOwner(owner);
      if (!options.repo) repo.remove();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
