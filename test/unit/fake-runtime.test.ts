// FakeRuntime keeps the Runtime contract, and its knobs (outage, crash, pull) do what tests rely on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DockerUnavailableError } from '../../src/runtime/errors.js';
import type { RuntimeEvent } from '../../src/runtime/runtime.js';
import { FakeEngine, FakeRuntime } from '../../src/runtime/fake-runtime.js';
import { instanceSpec, runtimeContract } from '../contract/runtime.contract.js';

const IMAGES = { present: 'web:v1', crashing: 'web:crash', absent: 'web:missing' };

runtimeContract('FakeRuntime', async () => {
  const engine = new FakeEngine({ images: [IMAGES.present, IMAGES.crashing], crashing: { [IMAGES.crashing]: 1 } });
  const down = new FakeEngine();
  down.stopEngine();
  return {
    runtime: engine.runtime('me'),
    volumes: (runtime) => runtime as FakeRuntime,
    owner: 'me',
    otherOwner: engine.runtime('them'),
    images: IMAGES,
    addForeign: async (name) => {
      engine.addForeign(name);
    },
    unreachable: () => down.runtime('me'),
    cleanup: async () => undefined,
  };
});

/** Lets queued event deliveries run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FakeEngine knobs', () => {
  it('an outage fails every call and reports disconnected, then connected when the engine is back', async () => {
    const engine = new FakeEngine({ images: ['web:v1'] });
    const runtime = engine.runtime();
    const seen: RuntimeEvent['type'][] = [];
    const stop = runtime.events((e) => seen.push(e.type));
    await flush();
    engine.stopEngine();
    await assert.rejects(runtime.list(), DockerUnavailableError);
    await flush();
    engine.startEngine();
    await flush();
    assert.deepEqual(await runtime.list(), []);
    assert.deepEqual(seen, ['connected', 'disconnected', 'connected']);
    stop();
  });

  it('exit() ends a running instance with the given code and a die event', async () => {
    const engine = new FakeEngine({ images: ['web:v1'] });
    const runtime = engine.runtime();
    const created = await runtime.create(instanceSpec('web:v1'));
    const seen: RuntimeEvent[] = [];
    runtime.events((e) => seen.push(e));
    await flush();
    engine.exit(created.id, 137, 'oom');
    await flush();
    const [listed] = await runtime.list();
    assert.deepEqual([listed?.state, listed?.exitCode, listed?.address], ['exited', 137, null]);
    assert.deepEqual(seen.map((e) => (e.type === 'container' ? e.action : e.type)), ['connected', 'oom', 'die']);
  });

  it('pulls a pullable image, which then is present', async () => {
    const engine = new FakeEngine({ pullable: ['web:v2'] });
    const runtime = engine.runtime();
    const progress: string[] = [];
    await runtime.pullImage('web:v2', (p) => progress.push(p.status));
    assert.equal(await runtime.hasImage('web:v2'), true);
    assert.ok(progress.length > 0);
  });

  it('gives the same ids and creation times on every run', async () => {
    const run = async (): Promise<string[]> => {
      const runtime = new FakeEngine({ images: ['web:v1'] }).runtime();
      await runtime.create(instanceSpec('web:v1', { index: 1 }));
      await runtime.create(instanceSpec('web:v1', { index: 2 }));
      return (await runtime.list()).map((c) => `${c.id}@${c.createdAt}`);
    };
    assert.deepEqual(await run(), await run());
  });
});
