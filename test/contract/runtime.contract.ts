// The promises every Runtime keeps (the doc comments of src/runtime/runtime.ts, made executable).
// Each implementation's test file calls runtimeContract with a factory: FakeRuntime in
// test/unit/fake-runtime.test.ts, DockerRuntime in test/integration/runtime-contract-docker.test.ts,
// SwarmRuntime in test/integration/runtime-contract-swarm.test.ts. Where an implementation and this
// suite disagree, the implementation is wrong, unless a capability below says the engine cannot
// keep that promise; the case then asserts what the engine does instead (never a silent skip).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerConflictError, ContainerNotRunningError, DockerOperationError, DockerUnavailableError, ExecTimeoutError, ImagePullError, VolumeInUseError } from '../../src/runtime/errors.js';
import { specHash } from '../../src/template/spec-hash.js';
import { ADDED_DEFAULTS, type ContainerTemplate } from '../../src/template/container-template.js';
import { containerName, versionServiceName } from '../../src/runtime/names.js';
import type { InstanceSpec, ObservedContainer, Runtime, RuntimeEvent, VolumeStore } from '../../src/runtime/runtime.js';
import { volumeName } from '../../src/runtime/names.js';

/** A runtime under test on an engine, with what the suite needs around it. */
export interface RuntimeHarness {
  runtime: Runtime;
  /** The runtime's VolumeStore, for a runtime that keeps named volumes; absent: the volume cases skip. */
  volumes?: (runtime: Runtime) => VolumeStore;
  /** The owner `runtime` was made for (container names embed it). */
  owner: string;
  /** Another owner's runtime on the same engine. */
  otherOwner: Runtime;
  images: {
    /** Present locally; serves until stopped; has `true`, `false`, `echo`, `sleep` and `sh -c "exit N"` (exec cases). */
    present: string;
    /** Present locally; its process exits on its own with exit code 1. */
    crashing: string;
    /** Neither present nor pullable. */
    absent: string;
  };
  /** Puts a container called `name` on the engine that no DSR manages. */
  addForeign(name: string): Promise<void>;
  /** A runtime of this kind whose engine cannot be reached. */
  unreachable(): Runtime;
  /** Removes everything the harness and the suite created. */
  cleanup(): Promise<void>;
  /** Promises this engine cannot keep; omitted: it keeps them all. */
  capabilities?: Partial<RuntimeCapabilities>;
}

/** Contract promises some engines cannot keep, each saying what happens there instead. */
export interface RuntimeCapabilities {
  /**
   * Instances are the task slots of one service per version (Swarm): the runtime numbers them
   * (the lowest free slot, not the index asked), names them `<version service>.<slot>`, runs
   * another spec of a version beside it as a second service rather than refusing it, and a
   * stopped instance started again is a new task (a new id). Containers (false): the index asked,
   * `containerName`, ContainerConflictError, the same id.
   */
  slots: boolean;
}

const ALL_CAPABILITIES: RuntimeCapabilities = { slots: false };

/** The capabilities of a harness, defaults filled in. */
function capabilitiesOf(h: RuntimeHarness): RuntimeCapabilities {
  return { ...ALL_CAPABILITIES, ...h.capabilities };
}

/** Creates a fresh harness (a fresh owner: nothing of it exists yet). */
export type RuntimeFactory = () => Promise<RuntimeHarness>;

/** How long a real engine may take for what the fake does at once. */
const SETTLE_MS = 10_000;

/** What a test may set of an instance: its identity and any template field but the image. */
export type InstanceOverrides = Partial<Pick<InstanceSpec, 'service' | 'version' | 'index'>> & Partial<Omit<ContainerTemplate, 'image'>>;

/** An instance of `image`, its spec hash computed as the planner would. */
export function instanceSpec(image: string, overrides: InstanceOverrides = {}): InstanceSpec {
  const { service = 'web', version = 'v1', index = 1, ...fields } = overrides;
  const template: ContainerTemplate = { image, env: {}, command: null, port: 80, ...ADDED_DEFAULTS, ...fields };
  return { service, version, index, template, specHash: specHash(template) };
}

/** Polls `probe` until it returns a value; throws after timeoutMs. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = SETTLE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Registers the Runtime contract for one implementation. */
export function runtimeContract(name: string, factory: RuntimeFactory): void {
  async function withRuntime(run: (h: RuntimeHarness) => Promise<void>): Promise<void> {
    const harness = await factory();
    try {
      await run(harness);
    } finally {
      await harness.cleanup();
    }
  }
  const opts = { timeout: 60_000 };

  describe(`Runtime contract: ${name}`, () => {
    it('creates a running instance with its labels, spec hash and address', opts, () =>
      withRuntime(async (h) => {
        const { runtime, owner, images } = h;
        const spec = instanceSpec(images.present, { service: 'api', version: 'v2', index: 3 });
        const created = await runtime.create(spec);
        assert.equal(created.state, 'running');
        assert.equal(created.exitCode, null);
        assert.ok(created.address, 'a running instance has an address');
        // Slots: the first task of the version's service is slot 1, whatever index was asked.
        const [name, index] = capabilitiesOf(h).slots ? [`${versionServiceName(owner, 'api', 'v2')}.1`, 1] : [containerName(owner, 'api', 'v2', 3), 3];
        const expected = { name, service: 'api', version: 'v2', index, specHash: spec.specHash, image: images.present };
        assert.deepEqual(pick(created), expected);
        const listed = await runtime.list();
        assert.deepEqual(listed.map((c) => [c.id, pick(c)]), [[created.id, expected]]);
        assert.ok(!Number.isNaN(Date.parse(listed[0]?.createdAt ?? '')), 'createdAt is ISO 8601');
      }));

    it('create is idempotent for the same name and spec hash', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const first = await runtime.create(instanceSpec(images.present));
        const again = await runtime.create(instanceSpec(images.present));
        assert.equal(again.id, first.id);
        assert.deepEqual((await runtime.list()).map((c) => c.id), [first.id]);
      }));

    it('create starts its own stopped container of the same spec again', opts, () =>
      withRuntime(async (h) => {
        const { runtime, images } = h;
        const first = await runtime.create(instanceSpec(images.present));
        await runtime.stop(first.id, 1);
        const again = await runtime.create(instanceSpec(images.present));
        if (!capabilitiesOf(h).slots) assert.equal(again.id, first.id);
        assert.deepEqual([again.state, again.service, again.version, again.specHash], ['running', first.service, first.version, first.specHash]);
      }));

    it('create with another spec hash under the same name is a ContainerConflictError (slots: a second service of the version)', opts, () =>
      withRuntime(async (h) => {
        const { runtime, owner, images } = h;
        const first = await runtime.create(instanceSpec(images.present));
        const other = instanceSpec(images.present, { env: { GREETING: 'changed' } });
        if (capabilitiesOf(h).slots) {
          const second = await runtime.create(other);
          assert.deepEqual([first.name, second.name], [`${versionServiceName(owner, 'web', 'v1')}.1`, `${versionServiceName(owner, 'web', 'v1', other.specHash)}.1`]);
          assert.deepEqual((await runtime.list()).map((c) => c.specHash).sort(), [first.specHash, other.specHash].sort());
          return;
        }
        await assert.rejects(runtime.create(other), (err: unknown) => {
          assert.ok(err instanceof ContainerConflictError, `got ${String(err)}`);
          assert.equal(err.foreign, false);
          return true;
        });
        assert.equal((await runtime.list()).length, 1);
      }));

    it('create over a foreign container of that name is a ContainerConflictError marked foreign', opts, () =>
      withRuntime(async (h) => {
        const { runtime, owner, images, addForeign } = h;
        await addForeign(capabilitiesOf(h).slots ? versionServiceName(owner, 'web', 'v1') : containerName(owner, 'web', 'v1', 1));
        await assert.rejects(runtime.create(instanceSpec(images.present)), (err: unknown) => {
          assert.ok(err instanceof ContainerConflictError, `got ${String(err)}`);
          assert.equal(err.foreign, true);
          return true;
        });
        assert.deepEqual(await runtime.list(), []);
      }));

    it("lists this owner's containers only", opts, () =>
      withRuntime(async ({ runtime, otherOwner, owner, images, addForeign }) => {
        const mine = await runtime.create(instanceSpec(images.present));
        const theirs = await otherOwner.create(instanceSpec(images.present));
        await addForeign(`${containerName(owner, 'web', 'v1', 1)}-foreign`);
        assert.deepEqual((await runtime.list()).map((c) => c.id), [mine.id]);
        assert.deepEqual((await otherOwner.list()).map((c) => c.id), [theirs.id]);
      }));

    it('stop with a timeout leaves the container exited, with an exit code and no address', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        const started = Date.now();
        await runtime.stop(created.id, 1);
        assert.ok(Date.now() - started < 1000 + SETTLE_MS, 'stop returns once the timeout has passed at the latest');
        const [stopped] = await runtime.list();
        assert.equal(stopped?.state, 'exited');
        assert.equal(typeof stopped?.exitCode, 'number');
        assert.equal(stopped?.address, null);
      }));

    it('stopping or removing a stopped or gone container succeeds', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        await runtime.stop(created.id, 1);
        await runtime.stop(created.id, 1);
        await runtime.remove(created.id);
        await runtime.remove(created.id);
        await runtime.stop(created.id, 1);
        assert.deepEqual(await runtime.list(), []);
      }));

    it('remove takes a running container away', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        await runtime.remove(created.id);
        assert.deepEqual(await runtime.list(), []);
      }));

    it('observes an instance whose process exits as exited, with its exit code', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.crashing, { version: 'crash' }));
        const exited = await eventually('the crashing instance is listed as exited', async () =>
          (await runtime.list()).find((c) => c.id === created.id && c.state === 'exited'),
        );
        assert.equal(exited.exitCode, 1);
        assert.equal(exited.address, null);
      }));

    it('exec runs a command in the instance and reports exit code 0 with its output', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        const result = await runtime.exec(created.id, ['echo', 'ready'], SETTLE_MS);
        assert.equal(result.exitCode, 0);
        assert.match(result.output, /ready/);
      }));

    it("exec reports a failing command's exit code as a result, not an error", opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        assert.equal((await runtime.exec(created.id, ['false'], SETTLE_MS)).exitCode, 1);
        assert.equal((await runtime.exec(created.id, ['sh', '-c', 'exit 3'], SETTLE_MS)).exitCode, 3);
      }));

    it('exec of a command the image lacks ends with exit code 126 or 127 and names it', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        const result = await runtime.exec(created.id, ['dsr-no-such-command'], SETTLE_MS);
        assert.ok(result.exitCode === 126 || result.exitCode === 127, `exit code ${result.exitCode}`);
        assert.match(result.output, /dsr-no-such-command/);
      }));

    it('exec that outlives its timeout throws ExecTimeoutError once the timeout has passed', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        const started = Date.now();
        await assert.rejects(runtime.exec(created.id, ['sleep', '30'], 500), (err: unknown) => {
          assert.ok(err instanceof ExecTimeoutError, `got ${String(err)}`);
          assert.equal(err.timeoutMs, 500);
          return true;
        });
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 450 && elapsed < 500 + SETTLE_MS, `returned after ${elapsed} ms`);
      }));

    it('exec in a stopped or removed container throws ContainerNotRunningError', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        const created = await runtime.create(instanceSpec(images.present));
        await runtime.stop(created.id, 1);
        await assert.rejects(runtime.exec(created.id, ['true'], SETTLE_MS), ContainerNotRunningError);
        await runtime.remove(created.id);
        await assert.rejects(runtime.exec(created.id, ['true'], SETTLE_MS), ContainerNotRunningError);
      }));

    it('knows which images are present', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        assert.equal(await runtime.hasImage(images.present), true);
        assert.equal(await runtime.hasImage(images.absent), false);
      }));

    it('fails a create from an absent image with DockerOperationError and leaves nothing', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        await assert.rejects(runtime.create(instanceSpec(images.absent)), (err: unknown) => {
          assert.ok(err instanceof DockerOperationError, `got ${String(err)}`);
          assert.equal(err.statusCode, 404);
          return true;
        });
        assert.deepEqual(await runtime.list(), []);
      }));

    it('fails a pull no registry can serve with ImagePullError', opts, () =>
      withRuntime(async ({ runtime, images }) => {
        await assert.rejects(runtime.pullImage(images.absent, () => undefined), ImagePullError);
      }));

    it("emits 'connected', then its own containers' events only", opts, () =>
      withRuntime(async ({ runtime, otherOwner, images }) => {
        const seen: RuntimeEvent[] = [];
        const stop = runtime.events((e) => seen.push(e));
        try {
          await eventually("'connected'", () => seen.find((e) => e.type === 'connected'));
          assert.equal(seen[0]?.type, 'connected', "'connected' comes first");
          const theirs = await otherOwner.create(instanceSpec(images.present));
          const mine = await runtime.create(instanceSpec(images.present, { service: 'api' }));
          const forMine = (action: string): RuntimeEvent | undefined =>
            seen.find((e) => e.type === 'container' && e.action === action && e.containerId === mine.id);
          assert.deepEqual(await eventually('start event', () => forMine('start')), { type: 'container', action: 'start', containerId: mine.id, service: 'api', version: 'v1' });
          await runtime.stop(mine.id, 1);
          await eventually('die event', () => forMine('die'));
          assert.equal(seen.some((e) => e.type === 'container' && e.containerId === theirs.id), false, "another owner's events are not reported");
          assert.equal(seen.filter((e) => e.type === 'connected').length, 1);
        } finally {
          stop();
        }
      }));

    it('reports an unreachable engine as DockerUnavailableError, and as disconnected on the event stream', opts, () =>
      withRuntime(async ({ unreachable, images }) => {
        const nowhere = unreachable();
        const calls: Array<[string, () => Promise<unknown>]> = [
          ['ping', () => nowhere.ping()],
          ['list', () => nowhere.list()],
          ['create', () => nowhere.create(instanceSpec(images.present))],
          ['stop', () => nowhere.stop('0123456789ab', 1)],
          ['remove', () => nowhere.remove('0123456789ab')],
          ['exec', () => nowhere.exec('0123456789ab', ['true'], SETTLE_MS)],
          ['hasImage', () => nowhere.hasImage(images.present)],
          ['pullImage', () => nowhere.pullImage(images.absent, () => undefined)],
        ];
        for (const [call, run] of calls) {
          await assert.rejects(run(), (err: unknown) => {
            assert.ok(err instanceof DockerUnavailableError, `${call}: got ${String(err)}`);
            return true;
          });
        }
        const seen: RuntimeEvent[] = [];
        const stop = nowhere.events((e) => seen.push(e));
        try {
          const down = await eventually("'disconnected'", () => seen.find((e) => e.type === 'disconnected'));
          assert.ok(down.type === 'disconnected' && down.error instanceof DockerUnavailableError, `got ${JSON.stringify(down)}`);
          assert.equal(seen.some((e) => e.type === 'connected'), false);
        } finally {
          stop();
        }
      }));
  });

  describe(`Runtime contract: ${name}, named volumes`, () => {
    const data = { kind: 'named' as const, name: 'data', mountPath: '/data', readOnly: false };
    // remove() may return before the engine lets go of the volume: Swarm deletes a removed
    // service's task container a moment later, and until then it still mounts the volume. So the
    // cases after a remove() wait for the release instead of expecting it at once: up to 30 s, as
    // the task's stop grace period (10 s) and the agent's clean-up both come before it.
    const usersOf = async (store: VolumeStore): Promise<Array<[string, string[]]>> => (await store.volumes()).map((v) => [v.name, v.usedBy]);
    const released = (store: VolumeStore): Promise<true> =>
      eventually('the volume released by its removed instance', async () => ((await usersOf(store)).every(([, users]) => users.length === 0) ? true : undefined), 30_000);
    /** Runs a volume case, or skips it for a runtime that keeps no named volumes. */
    const volumeCase = (title: string, run: (h: RuntimeHarness, store: VolumeStore) => Promise<void>): void => {
      it(title, opts, async (t) => {
        const harness = await factory();
        try {
          if (!harness.volumes) return t.skip(`${name} keeps no named volumes (no VolumeStore)`);
          await run(harness, harness.volumes(harness.runtime));
        } finally {
          await harness.cleanup();
        }
      });
    };

    volumeCase('create makes the named volumes of an instance, listed with the containers using them', async ({ runtime, owner, images }, store) => {
      const created = await runtime.create(instanceSpec(images.present, { service: 'db', volumes: [data] }));
      const listed = await store.volumes();
      assert.deepEqual(listed.map((v) => [v.service, v.name, v.dockerName, v.usedBy]), [['db', 'data', volumeName(owner, 'db', 'data'), [created.name]]]);
    });

    volumeCase('a volume outlives the removal of every container using it, and serves the next one', async ({ runtime, images }, store) => {
      const first = await runtime.create(instanceSpec(images.present, { service: 'db', volumes: [data] }));
      await runtime.remove(first.id);
      await released(store);
      assert.deepEqual(await usersOf(store), [['data', []]]);
      const second = await runtime.create(instanceSpec(images.present, { service: 'db', version: 'v2', volumes: [data] }));
      assert.deepEqual(await usersOf(store), [['data', [second.name]]]);
    });

    volumeCase('removeVolume refuses while a container uses the volume, then removes it; gone is success', async ({ runtime, images }, store) => {
      const created = await runtime.create(instanceSpec(images.present, { service: 'db', volumes: [data] }));
      await assert.rejects(store.removeVolume('db', 'data'), (err: unknown) => err instanceof VolumeInUseError && err.usedBy.includes(created.name));
      await runtime.remove(created.id);
      await released(store);
      await store.removeVolume('db', 'data');
      assert.deepEqual(await store.volumes(), []);
      await store.removeVolume('db', 'data');
    });

    volumeCase("lists only this owner's volumes", async ({ runtime, otherOwner, images, volumes }, store) => {
      await runtime.create(instanceSpec(images.present, { service: 'db', volumes: [data] }));
      assert.deepEqual(await volumes!(otherOwner).volumes(), []);
      assert.equal((await store.volumes()).length, 1);
    });
  });
}

function pick(c: ObservedContainer): Pick<ObservedContainer, 'name' | 'service' | 'version' | 'index' | 'specHash' | 'image'> {
  return { name: c.name, service: c.service, version: c.version, index: c.index, specHash: c.specHash, image: c.image };
}
