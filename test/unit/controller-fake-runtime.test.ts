// The controller on FakeRuntime: what real-Docker tests (test/integration/reconciler.test.ts)
// prove in seconds, in milliseconds and without an engine: each case of the reconciler's
// classification (classify.ts) on a whole controller, engine outages, adoption after a restart.
// Health probes are held in their start period (1 h), so the fake's addresses are never judged
// and the cases depend only on the runtime.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, type RouteSink } from '../../src/controller/controller.js';
import { CommandError } from '../../src/controller/command-error.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import type { DsrEvent } from '../../src/events/types.js';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { openStateStore } from '../../src/store/open-state.js';
import { FakeEngine } from '../../src/runtime/fake-runtime.js';
import type { FakeRuntime } from '../../src/runtime/fake-runtime.js';
import { waitFor } from '../helpers/wait.js';
import { heldManifest } from '../helpers/held-manifest.js';

function manifest(name: string, replicas: number, image = 'web:v1', stopGracePeriod = '10s'): string {
  return heldManifest(name, replicas, image, stopGracePeriod);
}

/** A manifest whose name can be read but whose spec is invalid (replicas must be a number). */
function broken(name: string): string {
  return manifest(name, 1).replace(/replicas: \d+/, 'replicas: many');
}

interface Running {
  engine: FakeEngine;
  runtime: FakeRuntime;
  controller: Controller;
  /** Names of this owner's running containers, sorted. */
  running(): Promise<string[]>;
  /** Writes (or, with null, deletes) a manifest file and reloads. */
  write(path: string, content: string | null): Promise<void>;
  /** The recorded events of one kind. */
  eventsOf(kind: string): Promise<DsrEvent[]>;
  /** Stops this controller (the suite's end also does; twice is harmless). */
  stop(): Promise<void>;
}

interface StartOptions {
  /** The engine to run on (another controller's, to test adoption); default: a fresh one with web:v1. */
  engine?: FakeEngine;
  allowEmpty?: boolean;
  /** The gateway as the controller sees it (in-flight counts for drains); default: none. */
  gateway?: RouteSink;
}

/** Starts a controller on a FakeEngine and a worktree folder holding `files`; stopped and removed after the suite. */
async function startController(files: Record<string, string>, options: StartOptions = {}): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-ctl-fake-'));
  const manifests = join(dir, 'manifests');
  const data = join(dir, 'data');
  for (const d of [manifests, data]) mkdirSync(d);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(manifests, path), content);
  const engine = options.engine ?? new FakeEngine({ images: ['web:v1'] });
  const runtime = engine.runtime('unit');
  const events = await JsonlEventLog.open(join(data, 'events'));
  const store = await openStateStore(data);
  const source = await ManifestSource.open({ dir: manifests, mode: 'worktree', debounceMs: 20 });
  // resyncMs of an hour: only Docker events and 'connected' may trigger the passes under test.
  const controller = new Controller({ runtime, source, events, store, resyncMs: 3_600_000, log: () => {}, allowEmpty: options.allowEmpty ?? false, gateway: options.gateway });
  await controller.start();
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    await controller.stop();
    await events.close();
    await store.close();
  })());
  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    engine,
    runtime,
    controller,
    running: async () => (await runtime.list()).filter((c) => c.state === 'running').map((c) => c.name).sort(),
    write: async (path, content) => {
      if (content === null) unlinkSync(join(manifests, path));
      else writeFileSync(join(manifests, path), content);
      await controller.reload();
      await controller.settled();
    },
    eventsOf: (kind) => events.query({ kind }),
    stop,
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
    const { controller, engine, runtime, running, eventsOf } = await startController({ 'web.yaml': manifest('web', 2) });
    await waitFor('2 running instances', async () => (await running()).length === 2, 5000, 10);
    await waitFor('status lists both', () => controller.status('web')?.instances.length === 2, 5000, 10);
    engine.stopEngine();
    const lost = (await waitFor('containers still on the engine', () => engine.all().filter((c) => c.owner === 'unit'), 1000, 10))[0];
    assert.ok(lost);
    engine.remove(lost.id); // lost while DSR cannot hear about it
    await waitFor('the controller sees the outage', () => !controller.docker().available, 1000, 10);
    // Status keeps answering from the last list, and says the engine is out.
    assert.equal(controller.status('web')?.instances.length, 2);
    assert.equal(controller.status('web')?.phase, 'Degraded');
    // Either the 'connected' event or the pass that requeues itself while instances start may
    // notice first (a successful list also marks Docker available): the end state is the promise.
    engine.startEngine();
    await waitFor('the lost instance recreated', async () => {
      const now = await runtime.list();
      return now.length === 2 && now.every((c) => c.state === 'running' && c.id !== lost.id);
    }, 5000, 10);
    await waitFor('the controller sees the engine back', () => controller.docker().available, 1000, 10);
    await controller.settled();
    assert.equal((await eventsOf('docker.unavailable')).length, 1, 'one outage, one event');
    assert.equal((await eventsOf('docker.available')).length, 1);
  });

  it('a service whose file breaks after it ran is kept at its last valid spec (declared), its containers untouched', async () => {
    const { write, running, controller, eventsOf } = await startController({ 'web.yaml': manifest('web', 2) });
    await waitFor('2 running instances', async () => (await running()).length === 2, 5000, 10);
    await write('web.yaml', broken('web'));
    assert.deepEqual(await running(), ['dsr-unit-web-v1-1', 'dsr-unit-web-v1-2']);
    assert.equal(controller.spec('web')?.versions[0]?.replicas, 2, 'kept at the last valid spec');
    const invalid = await eventsOf('manifest.invalid');
    assert.equal(invalid.length, 1);
    assert.match(invalid[0]!.message, /web kept at the last valid state/);
  });

  it('a broken manifest with no valid past freezes its service: the containers of a previous DSR stay, status says Invalid', async () => {
    // A first DSR ran web; a second one (fresh data folder) reads a broken web.yaml.
    const first = await startController({ 'web.yaml': manifest('web', 2) });
    await waitFor('2 running instances', async () => (await first.running()).length === 2, 5000, 10);
    await first.controller.settled();
    await first.stop();
    const ids = (await first.runtime.list()).map((c) => c.id).sort();
    const second = await startController({ 'web.yaml': broken('web') }, { engine: first.engine });
    await second.controller.settled();
    assert.equal(second.controller.spec('web'), undefined, 'no valid spec to apply');
    assert.deepEqual((await second.runtime.list()).map((c) => c.id).sort(), ids, 'frozen: nothing created or removed');
    assert.equal(second.controller.status('web')?.phase, 'Invalid');
    assert.equal((await second.eventsOf('prune.blocked')).length, 0, 'frozen, not an orphan the guard had to protect');
  });

  it('refuses to prune a service while a manifest file cannot be read (prune-blocked), and prunes once it is fixed', async () => {
    const { write, running, eventsOf } = await startController({ 'a.yaml': manifest('alpha', 1), 'b.yaml': manifest('beta', 1) });
    await waitFor('2 running instances', async () => (await running()).length === 2, 5000, 10);
    // The unreadable file first: from then on no load can be trusted to say beta is gone.
    await write('c.yaml', 'metadata: [unclosed\n');
    await write('b.yaml', null);
    assert.deepEqual(await running(), ['dsr-unit-alpha-v1-1', 'dsr-unit-beta-v1-1'], 'beta kept: c.yaml may declare it');
    const blocked = await eventsOf('prune.blocked');
    assert.ok(blocked.length >= 1);
    assert.match(blocked[0]!.message, /not removing beta: 1 manifest file\(s\) could not be read/);
    await write('c.yaml', null);
    await waitFor('beta removed', async () => (await running()).length === 1, 5000, 10);
    assert.deepEqual(await running(), ['dsr-unit-alpha-v1-1']);
  });

  it('refuses to remove every service when the folder declares none, unless --allow-empty', async () => {
    const blocked = await startController({ 'web.yaml': manifest('web', 1) });
    await waitFor('1 running instance', async () => (await blocked.running()).length === 1, 5000, 10);
    await blocked.write('web.yaml', null);
    assert.deepEqual(await blocked.running(), ['dsr-unit-web-v1-1']);
    assert.match((await blocked.eventsOf('prune.blocked'))[0]?.message ?? '', /declares none; restart DSR with --allow-empty/);

    const allowed = await startController({ 'web.yaml': manifest('web', 1) }, { allowEmpty: true });
    await waitFor('1 running instance', async () => (await allowed.running()).length === 1, 5000, 10);
    await allowed.write('web.yaml', null);
    await waitFor('web removed', async () => (await allowed.running()).length === 0, 5000, 10);
    assert.equal((await allowed.eventsOf('prune.blocked')).length, 0);
  });

  it('after a restart, adopts the containers of declared services and removes the orphans of undeclared ones', async () => {
    const first = await startController({ 'a.yaml': manifest('alpha', 2), 'b.yaml': manifest('beta', 1) });
    await waitFor('3 running instances', async () => (await first.running()).length === 3, 5000, 10);
    await first.controller.settled();
    await first.stop();
    const alphaIds = (await first.runtime.list()).filter((c) => c.service === 'alpha').map((c) => c.id).sort();
    const second = await startController({ 'a.yaml': manifest('alpha', 2) }, { engine: first.engine });
    await waitFor('the orphan beta removed', async () => (await second.running()).length === 2, 5000, 10);
    await second.controller.settled();
    assert.deepEqual((await second.runtime.list()).filter((c) => c.service === 'alpha').map((c) => c.id).sort(), alphaIds, 'alpha adopted, not recreated');
    assert.deepEqual(await second.running(), ['dsr-unit-alpha-v1-1', 'dsr-unit-alpha-v1-2']);
    assert.equal(second.controller.status('beta'), undefined, 'gone: DSR no longer knows it');
  });

  it('a foreign container holding an instance name blocks that creation (terminal) until dsr retry', async () => {
    const engine = new FakeEngine({ images: ['web:v1'] });
    const foreign = engine.addForeign('dsr-unit-web-v1-1');
    const { controller, running, eventsOf } = await startController({ 'web.yaml': manifest('web', 1) }, { engine });
    const degraded = await waitFor('web degraded with a blocked action', () => {
      const s = controller.status('web');
      return s?.phase === 'Degraded' && s.blocked.length === 1 ? s : null;
    }, 5000, 10);
    assert.match(degraded.blocked[0]!.advice, /is not DSR's: remove or rename it/);
    await controller.settled();
    assert.equal((await eventsOf('reconcile.blocked')).length, 1, 'one event, no retry loop');
    engine.remove(foreign);
    await controller.command('web', { type: 'retry' });
    await waitFor('web created', async () => (await running()).length === 1, 5000, 10);
    assert.deepEqual(controller.status('web')?.blocked, []);
  });

  it('dsr retry while the engine is out fails as unavailable instead of hanging, and works once it is back', async () => {
    const engine = new FakeEngine({ images: ['web:v1'] });
    const foreign = engine.addForeign('dsr-unit-web-v1-1');
    const { controller, running } = await startController({ 'web.yaml': manifest('web', 1) }, { engine });
    await waitFor('a blocked action', () => controller.status('web')?.blocked.length === 1, 5000, 10);
    await controller.settled();
    engine.stopEngine();
    await waitFor('the controller sees the outage', () => !controller.docker().available, 1000, 10);
    // A retry unblocks, so it waits for the service's pass, which cannot list the containers.
    const refusal = await controller.command('web', { type: 'retry' }).then(() => null, (e: unknown) => e);
    assert.ok(refusal instanceof CommandError, `a CommandError, got ${String(refusal)}`);
    assert.equal(refusal.refusal, 'unavailable');
    assert.match(refusal.message, /^not applied: /);
    engine.startEngine();
    engine.remove(foreign);
    await waitFor('web created once the engine is back', async () => (await running()).length === 1, 5000, 10);
  });

  // Several Swarm nodes cannot run on this machine (docs/swarm.md, "Several nodes, on paper"); what
  // the controller does when one is lost can: the tasks of a lost node all end at once (Swarm
  // marks them orphaned, DSR reads them as dead), the others keep running.
  describe('several nodes, simulated', () => {
    it("a lost node's instances end together: they are replaced as one incident, the others are left untouched", async () => {
      const { controller, engine, runtime, running, eventsOf } = await startController({ 'web.yaml': manifest('web', 4) });
      await waitFor('4 running instances', async () => (await running()).length === 4, 5000, 10);
      const before = await runtime.list();
      const lost = before.slice(0, 2);
      const kept = before.slice(2).map((c) => c.id);
      for (const c of lost) engine.exit(c.id, 137);
      await waitFor('4 running again, the lost ones replaced', async () => {
        const now = await runtime.list();
        return now.length === 4 && now.every((c) => c.state === 'running') && lost.every((l) => !now.some((c) => c.id === l.id));
      }, 5000, 10);
      await controller.settled();
      const now = (await runtime.list()).map((c) => c.id);
      assert.deepEqual(kept.filter((id) => now.includes(id)), kept, 'the instances on the surviving node were neither removed nor replaced');
      const failed = (await eventsOf('instance.failed')).map((e) => e.data.containerId).sort();
      assert.deepEqual(failed, lost.map((c) => c.id).sort(), 'the lost instances were removed as failed');
      assert.deepEqual(await eventsOf('instance.removed'), [], 'nothing else was removed');
      assert.equal((await eventsOf('instance.backoff')).length, 0, 'one incident: no back-off holds the replacements');
    });
  });

  describe('drains', () => {
    /** A gateway whose requests in flight per instance the test sets. */
    function fakeGateway(): RouteSink & { inFlight: Map<string, number> } {
      const inFlight = new Map<string, number>();
      return { inFlight, setRoutes: () => {}, readmit: () => {}, inFlightInstance: (id) => inFlight.get(id) ?? 0 };
    }

    it('a scale-down waits for the removed instance\'s requests in flight, showing it draining, then removes it with nothing cut', async () => {
      const gateway = fakeGateway();
      const { write, running, controller, eventsOf } = await startController({ 'web.yaml': manifest('web', 2) }, { gateway });
      await waitFor('status lists both', () => controller.status('web')?.instances.length === 2, 5000, 10);
      for (const i of controller.status('web')!.instances) gateway.inFlight.set(i.id, 2);
      // Not write(): its settle would wait for the drain this test holds open.
      const reloaded = write('web.yaml', manifest('web', 1));
      const leaving = await waitFor('one instance draining', () => controller.status('web')?.instances.find((i) => i.draining), 5000, 10);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(await running(), ['dsr-unit-web-v1-1', 'dsr-unit-web-v1-2'], 'still running while its requests are in flight');
      gateway.inFlight.set(leaving.id, 0);
      await reloaded;
      await waitFor('the drained instance removed', async () => (await running()).length === 1, 5000, 10);
      const removed = (await eventsOf('instance.removed')).find((e) => e.data.containerId === leaving.id);
      assert.ok(removed, 'an instance.removed event for it');
      assert.equal((removed.data.drain as { cut: number }).cut, 0);
      assert.ok((removed.data.drain as { waitedMs: number }).waitedMs >= 300, 'it waited for the requests');
    });

    it('requests that never finish are cut once stopGracePeriod is over, and the event says how many', async () => {
      const gateway = fakeGateway();
      const { write, running, controller, eventsOf } = await startController({ 'web.yaml': manifest('web', 2, 'web:v1', '300ms') }, { gateway });
      await waitFor('status lists both', () => controller.status('web')?.instances.length === 2, 5000, 10);
      for (const i of controller.status('web')!.instances) gateway.inFlight.set(i.id, 3);
      await write('web.yaml', manifest('web', 1, 'web:v1', '300ms'));
      await waitFor('one instance removed', async () => (await running()).length === 1, 5000, 10);
      const [removed] = await eventsOf('instance.removed');
      assert.ok(removed);
      assert.equal((removed.data.drain as { cut: number }).cut, 3);
      assert.match(removed.message, /3 request\(s\) still in flight after \d+ ms were cut/);
    });
  });
});
