// The controller on FakeRuntime: what real-Docker tests (test/integration/reconciler.test.ts)
// prove in seconds, in milliseconds and without an engine. Health probes are held in their start
// period (1 h), so the fake's addresses are never judged and the cases depend only on the runtime.
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
import type { FakeRuntime } from '../../src/runtime/fake-runtime.js';
import { waitFor } from '../helpers/wait.js';

function manifest(name: string, replicas: number): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
  port: 80
  health:
    path: /health
    interval: 1h
    timeout: 1s
    failureThreshold: 3
    startPeriod: 1h
  versions:
    - name: v1
      image: web:v1
      replicas: ${replicas}
`;
}

interface Running {
  engine: FakeEngine;
  runtime: FakeRuntime;
  controller: Controller;
  /** Names of this owner's running containers, sorted. */
  running(): Promise<string[]>;
}

/** Starts a controller on a fresh FakeEngine and a worktree folder holding `files`; stopped and removed after the suite. */
async function startController(files: Record<string, string>): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-ctl-fake-'));
  const manifests = join(dir, 'manifests');
  const data = join(dir, 'data');
  for (const d of [manifests, data]) mkdirSync(d);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(manifests, path), content);
  const engine = new FakeEngine({ images: ['web:v1'] });
  const runtime = engine.runtime('unit');
  const events = await JsonlEventLog.open(join(data, 'events'));
  const store = await openStateStore(data);
  const source = await ManifestSource.open({ dir: manifests, mode: 'worktree', debounceMs: 20 });
  // resyncMs of an hour: only Docker events and 'connected' may trigger the passes under test.
  const controller = new Controller({ runtime, source, events, store, resyncMs: 3_600_000, log: () => {} });
  await controller.start();
  after(async () => {
    await controller.stop();
    await events.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    engine,
    runtime,
    controller,
    running: async () => (await runtime.list()).filter((c) => c.state === 'running').map((c) => c.name).sort(),
  };
}

describe('controller on FakeRuntime', () => {
  it('cold start creates every replica of every service', async () => {
    const { controller, running } = await startController({ 'a.yaml': manifest('alpha', 2), 'b.yaml': manifest('beta', 1) });
    await controller.settled();
    await waitFor('3 running instances', async () => (await running()).length === 3, 5000, 10);
    assert.deepEqual(await running(), ['dsr-unit-alpha-v1-1', 'dsr-unit-alpha-v1-2', 'dsr-unit-beta-v1-1']);
  });

  it('replaces a container removed behind its back', async () => {
    const { controller, engine, runtime, running } = await startController({ 'web.yaml': manifest('web', 2) });
    await waitFor('2 running instances', async () => (await running()).length === 2, 5000, 10);
    const [victim] = await runtime.list();
    assert.ok(victim);
    engine.remove(victim.id); // as `docker rm -f` would: the destroy event triggers a pass
    await waitFor('the victim replaced', async () => {
      const now = await runtime.list();
      return now.length === 2 && now.every((c) => c.state === 'running' && c.id !== victim.id);
    }, 5000, 10);
    await controller.settled();
    assert.deepEqual(await running(), ['dsr-unit-web-v1-1', 'dsr-unit-web-v1-2']);
  });

  it('after an engine outage, recreates what was lost meanwhile and reports the engine back', async () => {
    const { controller, engine, runtime, running } = await startController({ 'web.yaml': manifest('web', 2) });
    await waitFor('2 running instances', async () => (await running()).length === 2, 5000, 10);
    engine.stopEngine();
    const lost = (await waitFor('containers still on the engine', () => engine.all().filter((c) => c.owner === 'unit'), 1000, 10))[0];
    assert.ok(lost);
    engine.remove(lost.id); // lost while DSR cannot hear about it
    await waitFor('the controller sees the outage', () => !controller.docker().available, 1000, 10);
    // Either the 'connected' event or the pass that requeues itself while instances start may
    // notice first (a successful list also marks Docker available): the end state is the promise.
    engine.startEngine();
    await waitFor('the lost instance recreated', async () => {
      const now = await runtime.list();
      return now.length === 2 && now.every((c) => c.state === 'running' && c.id !== lost.id);
    }, 5000, 10);
    await waitFor('the controller sees the engine back', () => controller.docker().available, 1000, 10);
    await controller.settled();
  });
});
