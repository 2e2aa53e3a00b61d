// A hostile review of SwarmRuntime's slot mapping (docs/swarm.md "Mapping") on a one-node swarm
// this file starts (test/helpers/swarm-engine.ts): the sequences DSR's apply step really makes
// (removals of a pass in parallel, then creations in parallel), crashes Swarm restarts, and an
// operator's hand on the services. Each case asserts the end state: exactly the chosen instances
// gone, no running instance taken in their place, the replica count right.
import type Dockerode from 'dockerode';
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller } from '../../src/controller/controller.js';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import { ManifestSource } from '../../src/source/manifest-source.js';
import { openStateStore } from '../../src/store/open-state.js';
import { SwarmRuntime } from '../../src/swarm/swarm-runtime.js';
import { LABELS } from '../../src/docker/labels.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import { uniqueOwner } from '../helpers/docker.js';
import { describeSwarm } from '../helpers/swarm-engine.js';
import { instanceSpec } from '../contract/runtime.contract.js';
import { heldManifest } from '../helpers/held-manifest.js';

const IMAGE = 'dsr-test-web:v1';
const opts = { timeout: 120_000 };

describeSwarm('SwarmRuntime slots', (swarm) => {
  const owner = uniqueOwner('sws');
  const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
  after(async () => {
    const services = await swarm.docker.listServices({ filters: { label: [`${LABELS.owner}=${owner}`] } });
    await Promise.all(services.map((s) => swarm.docker.getService(s.ID ?? '').remove().catch(() => undefined)));
  });

  const spec = (service: string, index: number) => instanceSpec(IMAGE, { service, index });
  const of = async (service: string): Promise<ObservedContainer[]> => (await runtime.list()).filter((c) => c.service === service);
  const live = async (service: string): Promise<Array<[number, string]>> =>
    (await of(service)).filter((c) => c.state !== 'removing').map((c) => [c.index, c.id]);
  const replicas = (service: string) => replicasOf(swarm.docker, owner, service);
  /** The live slots once no slot is being removed any more (Swarm reaps a removed task within seconds). */
  const settled = async (service: string): Promise<Array<[number, string]>> => {
    await until(`no slot of ${service} is being removed`, async () => ((await of(service)).some((c) => c.state === 'removing') ? undefined : true));
    return live(service);
  };
  /** Creates `n` instances one after the other (slots 1..n). */
  const createMany = async (service: string, n: number): Promise<ObservedContainer[]> => {
    const out: ObservedContainer[] = [];
    for (let index = 1; index <= n; index++) out.push(await runtime.create(spec(service, index)));
    assert.deepEqual(out.map((c) => [c.index, c.state]), out.map((_, i) => [i + 1, 'running']));
    return out;
  };

  it('two removals of one version in one pass, in parallel, of non-adjacent stopped slots: exactly those go', opts, async () => {
    const [a, b, c, d] = await createMany('pair', 4);
    // As apply.ts: each removal drains, stops and removes on its own, all of them in parallel.
    await Promise.all([a!, c!].map(async (x) => {
      await runtime.stop(x.id, 1);
      await runtime.remove(x.id);
    }));
    assert.deepEqual(await settled('pair'), [[2, b!.id], [4, d!.id]]);
    assert.equal(await replicas('pair'), 2);
  });

  it('a stopped and removed instance is not listed again once Swarm reaped its slot, even by a restarted DSR', opts, async () => {
    const [a, b, c] = await createMany('ghost', 3);
    await runtime.stop(a!.id, 1);
    // DSR restarted between the stop and the removal: a new runtime object, nothing in memory.
    await new SwarmRuntime({ docker: swarm.docker, owner }).remove(a!.id);
    // Its slot keeps the stopped task (exit 143) as history: listed, it would read `exited`, the
    // next pass would remove it, and one replica fewer would take a running instance.
    await sleep(4_000);
    assert.deepEqual(await settled('ghost'), [[2, b!.id], [3, c!.id]]);
    assert.equal(await replicas('ghost'), 2);
  });

  it("a removal that comes as Swarm's restart of the stopped task starts (its 5 s delay over) still takes that slot", opts, async () => {
    const [a, b, c] = await createMany('late', 3);
    // The stop exits 143, which the on-failure policy restarts after its delay; the removal comes just then.
    await runtime.stop(b!.id, 1);
    await until("Swarm's restart stands for slot 2", async () => (await of('late')).find((x) => x.index === 2 && x.id !== b!.id), 15_000);
    await runtime.remove(b!.id);
    assert.deepEqual(await settled('late'), [[1, a!.id], [3, c!.id]]);
    assert.equal(await replicas('late'), 2);
  });

  it('a removal while another slot has crashed (Swarm restart pending) takes no running instance', opts, async () => {
    const [a, b, c] = await createMany('crashed', 3);
    await killTask(swarm.docker, c!.id);
    await until('slot 3 is seen crashed', async () => (await of('crashed')).find((x) => x.index === 3 && x.state === 'exited'));
    await runtime.stop(a!.id, 1);
    await runtime.remove(a!.id);
    // Swarm takes the crashed slot first (not running, highest), then the chosen one: never the running one.
    const left = await settled('crashed');
    assert.ok(!left.some(([, id]) => id === a!.id), `the chosen instance is gone: ${JSON.stringify(left)}`);
    assert.ok(left.some(([, id]) => id === b!.id), `the running instance stays: ${JSON.stringify(left)}`);
    assert.equal(await replicas('crashed'), left.length, 'as many replicas as listed instances');
  });

  it('parallel creates of one version each get a distinct slot, and the replicas end right', opts, async () => {
    // The first ones create the service, the others add replicas to it.
    const created = await Promise.all([1, 2, 3, 4].map((index) => runtime.create(spec('burst', index))));
    assert.deepEqual(created.map((c) => c.index).sort(), [1, 2, 3, 4]);
    assert.equal(new Set(created.map((c) => c.id)).size, 4);
    assert.deepEqual(created.map((c) => c.state), ['running', 'running', 'running', 'running']);
    assert.equal(await replicas('burst'), 4);
  });

  it('replaces a crashed instance in its slot: the new task is seen running, never as the crash again', opts, async () => {
    const [a, b] = await createMany('replace', 2);
    await killTask(swarm.docker, a!.id);
    const crashed = await until('slot 1 is seen crashed', async () => (await of('replace')).find((x) => x.index === 1 && x.state === 'exited'));
    assert.equal(crashed.id, a!.id);
    // As apply.ts replaces a failed instance: remove it, then create one in the freed index.
    await runtime.remove(crashed.id);
    const fresh = await runtime.create(spec('replace', 1));
    assert.notEqual(fresh.id, a!.id);
    assert.deepEqual([fresh.index, fresh.state], [1, 'running']);
    // What the next passes see, for longer than the restart window: never the crash again.
    const seen = new Set<string>();
    for (const deadline = Date.now() + 12_000; Date.now() < deadline;) {
      for (const x of await of('replace')) seen.add(`${x.index}:${x.id === a!.id ? 'crashed' : x.id === fresh.id ? 'fresh' : x.id === b!.id ? 'b' : x.id}:${x.state}`);
      await sleep(250);
    }
    assert.deepEqual([...seen].sort(), ['1:fresh:running', '2:b:running']);
    assert.equal(await replicas('replace'), 2);
  });

  it('replaces a stopped instance in its slot (a failed check): the new task is not read as a crash', opts, async () => {
    const [a, b] = await createMany('recheck', 2);
    await runtime.stop(a!.id, 1);
    await runtime.remove(a!.id);
    const fresh = await runtime.create(spec('recheck', 1));
    assert.deepEqual([fresh.index, fresh.state, fresh.id === a!.id], [1, 'running', false]);
    const seen = new Set<string>();
    for (const deadline = Date.now() + 12_000; Date.now() < deadline;) {
      for (const x of await of('recheck')) seen.add(`${x.index}:${x.id === fresh.id ? 'fresh' : x.id === b!.id ? 'b' : x.id}:${x.state}`);
      await sleep(250);
    }
    assert.deepEqual([...seen].sort(), ['1:fresh:running', '2:b:running']);
  });

  it("retiring a version: its last two instances, stopped, then removed in parallel, take the service with them", opts, async () => {
    const [a, b] = await createMany('retire', 2);
    await Promise.all([a!, b!].map(async (x) => {
      await runtime.stop(x.id, 1);
      await runtime.remove(x.id);
    }));
    assert.equal(await replicas('retire'), null);
    assert.deepEqual(await of('retire'), []);
  });

  it("an operator's scale-down by hand: Swarm takes the highest slot, the others keep their ids, the next create takes the freed slot", opts, async () => {
    const [a, b, c] = await createMany('byhand', 3);
    await setReplicas(swarm.docker, c!.id, 2);
    assert.deepEqual(await settled('byhand'), [[1, a!.id], [2, b!.id]]);
    const again = await runtime.create(spec('byhand', 3));
    assert.deepEqual([again.index, again.state], [3, 'running']);
    assert.equal(await replicas('byhand'), 3);
  });

  it('the controller on Swarm: scales 4 → 2 and replaces a crash, then stays still (no instance removed or created again)', { timeout: 180_000 }, async () => {
    const ctlOwner = uniqueOwner('swc');
    const ctlRuntime = new SwarmRuntime({ docker: swarm.docker, owner: ctlOwner });
    const dir = mkdtempSync(join(tmpdir(), 'dsr-swarm-slots-'));
    const manifests = join(dir, 'manifests');
    const data = join(dir, 'data');
    for (const d of [manifests, data]) mkdirSync(d);
    const write = (replicas: number): void => writeFileSync(join(manifests, 'web.yaml'), heldManifest('web', replicas, IMAGE, '2s'));
    write(4);
    const events = await JsonlEventLog.open(join(data, 'events'));
    const store = await openStateStore(data);
    const source = await ManifestSource.open({ dir: manifests, mode: 'worktree', debounceMs: 20 });
    // An hour's resync: the engine's events drive the passes, as a crash would.
    const controller = new Controller({ runtime: ctlRuntime, source, events, store, resyncMs: 3_600_000, log: () => {}, allowEmpty: false });
    const running = async (): Promise<number[]> => (await ctlRuntime.list()).filter((c) => c.state === 'running').map((c) => c.index);
    const changes = async (): Promise<number> => (await events.query({})).filter((e) => e.kind.startsWith('instance.')).length;
    /** No instance event for `ms`: the controller is still, and its view is `want`. */
    const stillAt = async (want: number[], ms: number): Promise<void> => {
      const before = await changes();
      await sleep(ms);
      await controller.settled();
      assert.equal(await changes(), before, `no instance event in ${ms} ms: ${JSON.stringify((await events.query({})).slice(before).map((e) => e.message))}`);
      assert.deepEqual((await running()).sort(), want);
      assert.equal(await replicasOf(swarm.docker, ctlOwner, 'web'), want.length);
    };
    try {
      await controller.start();
      await until('4 instances run', async () => ((await running()).length === 4 ? true : undefined), 60_000);
      write(2);
      await controller.reload();
      await until('2 instances run', async () => {
        await controller.settled();
        return (await running()).length === 2 && (await ctlRuntime.list()).every((c) => c.state === 'running') ? true : undefined;
      }, 60_000);
      await stillAt([1, 2], 8_000);
      const [first] = (await ctlRuntime.list()).filter((c) => c.index === 1);
      await killTask(swarm.docker, first!.id);
      await until('the crash is replaced', async () => {
        await controller.settled();
        const now = await ctlRuntime.list();
        return now.length === 2 && now.every((c) => c.state === 'running') && !now.some((c) => c.id === first!.id) ? true : undefined;
      }, 60_000);
      // Longer than Swarm's restart delay and the old 10 s restart window.
      await stillAt([1, 2], 12_000);
    } finally {
      await controller.stop();
      await events.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      const services = await swarm.docker.listServices({ filters: { label: [`${LABELS.owner}=${ctlOwner}`] } });
      await Promise.all(services.map((s) => swarm.docker.getService(s.ID ?? '').remove().catch(() => undefined)));
    }
  });

  it('a version service scaled to 0 by hand (no tasks left) is cleaned up by list(), and a later create starts afresh', opts, async () => {
    const [a] = await createMany('empty', 1);
    await setReplicas(swarm.docker, a!.id, 0);
    await until('the service is gone', async () => {
      await runtime.list();
      return (await replicas('empty')) === null ? true : undefined;
    });
    const again = await runtime.create(spec('empty', 1));
    assert.deepEqual([again.index, again.state], [1, 'running']);
    assert.equal(await replicas('empty'), 1);
  });
});

/** The replica count of the owner's service of `service`, or null when there is none. */
async function replicasOf(docker: Dockerode, owner: string, service: string): Promise<number | null> {
  const found = await docker.listServices({ filters: { label: [`${LABELS.owner}=${owner}`, `${LABELS.service}=${service}`] } });
  assert.ok(found.length <= 1, `one service for ${service}: ${found.map((s) => s.Spec?.Name).join(', ')}`);
  return found[0] ? (found[0].Spec?.Mode?.Replicated?.Replicas ?? 0) : null;
}

/** `docker service scale` of the task's service, as an operator would. */
async function setReplicas(docker: Dockerode, taskId: string, replicas: number): Promise<void> {
  const { ServiceID } = (await docker.getTask(taskId).inspect()) as { ServiceID: string };
  const service = docker.getService(ServiceID);
  const info = (await service.inspect()) as { Version: { Index: number }; Spec: Dockerode.ServiceSpec };
  await service.update({ _query: { version: info.Version.Index }, _body: { ...info.Spec, Mode: { Replicated: { Replicas: replicas } } } });
}

/** Crashes a task: SIGKILL to its container (exit 137), which Swarm restarts after its delay. */
async function killTask(docker: Dockerode, taskId: string): Promise<void> {
  const [container] = await docker.listContainers({ filters: { label: [`com.docker.swarm.task.id=${taskId}`], status: ['running'] } });
  assert.ok(container, `task ${taskId} has a running container`);
  await docker.getContainer(container.Id).kill();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
