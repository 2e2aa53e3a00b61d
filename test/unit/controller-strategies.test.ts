// Rolling and Recreate on a whole controller over FakeRuntime, with exec health checks run
// through the fake's exec: what the containers did (observed on every engine event), that a
// restarted DSR resumes a replacement where it stopped, and what a stuck rollout reports.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { openStateStore } from '../../src/store/open-state.js';
import { FakeEngine } from '../../src/runtime/fake-runtime.js';
import { waitFor } from '../helpers/wait.js';

function worker(strategy: 'Rolling' | 'Recreate', version: string, replicas: number, progressDeadline = '1h'): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: store
spec:
  strategy: ${strategy}
  health:
    exec: ["check"]
    interval: 50ms
    timeout: 1s
    failureThreshold: 100
    startPeriod: 0s
  stopGracePeriod: 0s
  rollout:
    progressDeadline: ${progressDeadline}
  versions:
    - name: ${version}
      image: app:${version}
      replicas: ${replicas}
`;
}

interface Workspace {
  manifests: string;
  data: string;
  /** Stops of the controllers started on it: all run before the folder is removed. */
  stops: Array<() => Promise<void>>;
}

/** A folder of manifests and DSR data that controllers can be started on, one after another. */
function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-strategies-'));
  const ws: Workspace = { manifests: join(dir, 'manifests'), data: join(dir, 'data'), stops: [] };
  // One hook that stops every controller first: a controller still writing state.json or events
  // while the folder is removed made the removal fail (ENOTEMPTY) and left its watcher running.
  after(async () => {
    await Promise.all(ws.stops.map((stop) => stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  for (const d of [ws.manifests, ws.data]) mkdirSync(d);
  return ws;
}

/** Starts a controller on `engine` over the workspace; `stop` stops it (containers keep running). */
async function start(engine: FakeEngine, ws: Workspace): Promise<{ controller: Controller; events: JsonlEventLog; stop: () => Promise<void> }> {
  const events = await JsonlEventLog.open(join(ws.data, 'events'));
  const store = await openStateStore(ws.data);
  const source = await ManifestSource.open({ dir: ws.manifests, mode: 'worktree', debounceMs: 20 });
  const controller = new Controller({ runtime: engine.runtime('unit'), source, events, store, resyncMs: 200, log: () => {} });
  await controller.start();
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    await controller.stop();
    await source.close();
    await events.close();
    await store.close();
  })());
  ws.stops.push(stop);
  return { controller, events, stop };
}

/** Running containers per version of `store`, e.g. { v1: 2, v2: 1 }. */
function runningByVersion(engine: FakeEngine): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of engine.all()) {
    const m = /^dsr-unit-store-(v\d+)-\d+$/.exec(c.name);
    if (m && c.state === 'running') out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  }
  return out;
}

/** The `check` command passes except in the versions listed as failing. */
function scriptChecks(engine: FakeEngine, failing: Set<string>): void {
  engine.scriptExec((c, command) => (command[0] === 'check' ? { exitCode: failing.has(c.version) ? 1 : 0, output: failing.has(c.version) ? 'not ready' : '' } : undefined));
}

describe('strategies on a controller over FakeRuntime', () => {
  it('Recreate never runs the old and the new version at once', async () => {
    const engine = new FakeEngine({ images: ['app:v1', 'app:v2'] });
    scriptChecks(engine, new Set());
    const ws = workspace();
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Recreate', 'v1', 2));
    const { controller } = await start(engine, ws);
    await waitFor('v1 healthy', () => controller.status('store')?.phase === 'Healthy', 5000, 10);
    // Every engine event is a moment the containers changed: check each one.
    const seen: Array<Record<string, number>> = [];
    const unwatch = engine.runtime('unit').events(() => seen.push(runningByVersion(engine)));
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Recreate', 'v2', 2));
    await controller.reload();
    await waitFor('v2 healthy and stable', () => {
      const s = controller.status('store');
      return s?.phase === 'Healthy' && s.stable === 'v2' ? s : null;
    }, 5000, 10);
    unwatch();
    assert.ok(seen.length > 4, `observed ${seen.length} events`);
    const both = seen.filter((r) => (r.v1 ?? 0) > 0 && (r.v2 ?? 0) > 0);
    assert.deepEqual(both, [], 'old and new never ran together');
    assert.deepEqual(runningByVersion(engine), { v2: 2 });
  });

  it('Rolling replaces one instance at a time, never running fewer than the replicas healthy', async () => {
    const engine = new FakeEngine({ images: ['app:v1', 'app:v2'] });
    scriptChecks(engine, new Set());
    const ws = workspace();
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Rolling', 'v1', 3));
    const { controller } = await start(engine, ws);
    await waitFor('v1 healthy', () => controller.status('store')?.phase === 'Healthy', 5000, 10);
    const seen: Array<Record<string, number>> = [];
    const unwatch = engine.runtime('unit').events(() => seen.push(runningByVersion(engine)));
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Rolling', 'v2', 3));
    await controller.reload();
    await waitFor('v2 stable', () => controller.status('store')?.stable === 'v2' && controller.status('store')?.phase === 'Healthy', 5000, 10);
    unwatch();
    const totals = seen.map((r) => (r.v1 ?? 0) + (r.v2 ?? 0));
    assert.ok(totals.every((n) => n >= 3 && n <= 4), `running counts ${JSON.stringify(seen)}`);
    assert.ok(seen.some((r) => r.v1 === 2 && r.v2 === 2), 'passed through 2 old + 2 new');
  });

  for (const strategy of ['Rolling', 'Recreate'] as const) {
    it(`${strategy}: a DSR restarted mid-rollout resumes it where it stopped`, async () => {
      const engine = new FakeEngine({ images: ['app:v1', 'app:v2'] });
      const failing = new Set<string>();
      scriptChecks(engine, failing);
      const ws = workspace();
      writeFileSync(join(ws.manifests, 'store.yaml'), worker(strategy, 'v1', 2));
      const first = await start(engine, ws);
      await waitFor('v1 healthy', () => first.controller.status('store')?.phase === 'Healthy', 5000, 10);
      // v2 does not turn healthy: the rollout stops mid-way (Rolling: 1 new beside 2 old; Recreate: old gone, new starting).
      failing.add('v2');
      writeFileSync(join(ws.manifests, 'store.yaml'), worker(strategy, 'v2', 2));
      await first.controller.reload();
      const midway = strategy === 'Rolling' ? { v1: 2, v2: 1 } : { v2: 2 };
      await waitFor(`mid-rollout ${JSON.stringify(midway)}`, () => JSON.stringify(runningByVersion(engine)) === JSON.stringify(midway), 5000, 10);
      await first.stop();
      const created = engine.all().map((c) => c.name);
      const second = await start(engine, ws);
      await second.controller.settled();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(runningByVersion(engine), midway, 'the restarted DSR holds the same step');
      assert.match(second.controller.status('store')?.message ?? '', strategy === 'Rolling' ? /rolling v2: 0 of 2/ : /recreate v2: 0 of 2/);
      failing.delete('v2');
      await waitFor('v2 stable', () => second.controller.status('store')?.stable === 'v2' && second.controller.status('store')?.phase === 'Healthy', 5000, 10);
      await waitFor('only v2 runs', () => JSON.stringify(runningByVersion(engine)) === JSON.stringify({ v2: 2 }), 5000, 10);
      // Nothing of v1 was started again after the restart.
      const v1Created = engine.all().map((c) => c.name).filter((n) => n.includes('-v1-') && !created.includes(n));
      assert.deepEqual(v1Created, []);
    });
  }

  it('Rolling: a new instance never healthy stops the rollout at progressDeadline; the old version runs in full and status says what to do', async () => {
    const engine = new FakeEngine({ images: ['app:v1', 'app:v2'] });
    scriptChecks(engine, new Set(['v2']));
    const ws = workspace();
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Rolling', 'v1', 2, '500ms'));
    const { controller, events } = await start(engine, ws);
    await waitFor('v1 healthy', () => controller.status('store')?.phase === 'Healthy', 5000, 10);
    writeFileSync(join(ws.manifests, 'store.yaml'), worker('Rolling', 'v2', 2, '500ms'));
    await controller.reload();
    const status = await waitFor('Degraded', () => {
      const s = controller.status('store');
      return s?.phase === 'Degraded' ? s : null;
    }, 5000, 10);
    assert.match(status.message, /instance 1 of v2 not healthy within progressDeadline.*dsr retry store/);
    await waitFor('only v1 runs', () => JSON.stringify(runningByVersion(engine)) === JSON.stringify({ v1: 2 }), 5000, 10);
    const aborted = await events.query({ kind: 'rollout.aborted' });
    assert.equal(aborted.length, 1);
  });
});
