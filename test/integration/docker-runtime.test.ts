// DockerRuntime against the real engine: what it creates is reachable, what it lists is exactly
// its owner's, and the engine's awkward answers (304, 404, 409, no registry, no socket) come
// back as success or as the typed errors the reconciler branches on.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import { ContainerConflictError, DockerUnavailableError, ImagePullError, VolumeConflictError, isDockerUnavailable } from '../../src/runtime/errors.js';
import { LABELS, MANAGED_BY } from '../../src/docker/labels.js';
import type { InstanceSpec, RuntimeEvent } from '../../src/runtime/runtime.js';
import { instanceSpec, type InstanceOverrides } from '../contract/runtime.contract.js';
import { describeDocker, testLabels, waitForHttp } from '../helpers/docker.js';

/** An instance of the offline test image (or `image`), its spec hash computed as the planner would. */
function instance(overrides: InstanceOverrides & { image?: string } = {}): InstanceSpec {
  const { image = 'dsr-test-web:v1', ...rest } = overrides;
  return instanceSpec(image, rest);
}

async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

describeDocker('DockerRuntime on the real engine', (env) => {
  const runtime = env.runtime();

  it('creates an instance reachable at its 127.0.0.1 address', { timeout: 15_000 }, async () => {
    const created = await runtime.create(instance());
    assert.equal(created.state, 'running');
    assert.equal(created.name, `dsr-${env.owner}-web-v1-1`);
    assert.equal(created.address?.host, '127.0.0.1');
    const res = await waitForHttp(`http://127.0.0.1:${created.address?.port}/health`, 5000);
    assert.deepEqual(JSON.parse(res.body), { status: 'healthy' });
  });

  it("lists only its own owner's containers, with their labels and address", { timeout: 15_000 }, async () => {
    const foreign = { Image: 'dsr-test-web:v1', Labels: testLabels(env.owner) };
    await env.docker.createContainer({
      ...foreign,
      Labels: { ...foreign.Labels, [LABELS.managedBy]: MANAGED_BY, [LABELS.owner]: `${env.owner}x`, [LABELS.service]: 'web', [LABELS.version]: 'v1', [LABELS.specHash]: 'abc', [LABELS.instance]: '1', [LABELS.port]: '80' },
    });
    await env.docker.createContainer(foreign);

    const listed = await runtime.list();
    assert.equal(listed.length, 1);
    const [web] = listed;
    assert.ok(web);
    assert.deepEqual(
      { name: web.name, service: web.service, version: web.version, index: web.index, specHash: web.specHash, state: web.state, exitCode: web.exitCode, image: web.image, host: web.address?.host },
      { name: `dsr-${env.owner}-web-v1-1`, service: 'web', version: 'v1', index: 1, specHash: instance().specHash, state: 'running', exitCode: null, image: 'dsr-test-web:v1', host: '127.0.0.1' },
    );
    assert.ok(Math.abs(Date.parse(web.createdAt) - Date.now()) < 120_000, `createdAt ${web.createdAt} is recent`);
    const inspected = await env.docker.getContainer(web.id).inspect();
    assert.equal(inspected.HostConfig.Privileged, false);
    assert.equal(inspected.HostConfig.RestartPolicy?.Name, 'no');
    assert.deepEqual(inspected.HostConfig.Binds ?? [], []);
  });

  it('adopts its own container on a repeated create and refuses one with another spec hash', { timeout: 15_000 }, async () => {
    const first = (await runtime.list())[0];
    const again = await runtime.create(instance());
    assert.equal(again.id, first?.id);
    assert.equal((await runtime.list()).length, 1);
    await assert.rejects(runtime.create(instance({ env: { GREETING: 'changed' } })), ContainerConflictError);
  });

  it('treats stopping and removing twice as success', { timeout: 30_000 }, async () => {
    const created = await runtime.create(instance({ index: 2 }));
    await runtime.stop(created.id, 1);
    await runtime.stop(created.id, 1);
    const stopped = (await runtime.list()).find((c) => c.id === created.id);
    assert.equal(stopped?.state, 'exited');
    assert.equal(typeof stopped?.exitCode, 'number');
    assert.equal(stopped?.address, null);
    await runtime.remove(created.id);
    await runtime.remove(created.id);
    await runtime.stop(created.id, 1);
    assert.equal((await runtime.list()).some((c) => c.id === created.id), false);
  });

  it('observes a crashing instance as exited with its exit code', { timeout: 15_000 }, async () => {
    const crash = await runtime.create(instance({ version: 'crash', image: 'dsr-test-web:crash' }));
    const exited = await eventually('crash container exits', 5000, async () =>
      (await runtime.list()).find((c) => c.id === crash.id && c.state === 'exited'),
    );
    assert.equal(exited.exitCode, 1);
    await runtime.remove(crash.id);
  });

  it('knows which images are present', async () => {
    assert.equal(await runtime.hasImage('dsr-test-web:v1'), true);
    assert.equal(await runtime.hasImage('dsr-test-missing:never'), false);
  });

  it('fails a pull it cannot complete with ImagePullError', { timeout: 30_000 }, async () => {
    const progress: string[] = [];
    await assert.rejects(runtime.pullImage('dsr-test-missing/nothing:never', (p) => progress.push(p.status)), (err: unknown) => {
      assert.ok(err instanceof ImagePullError, `got ${String(err)}`);
      assert.ok(err.message.length > 'pull dsr-test-missing/nothing:never: '.length, err.message);
      return true;
    });
  });

  it("refuses to mount a volume of the name DSR would use that is not DSR's, creating nothing", { timeout: 15_000 }, async () => {
    const name = `dsr-${env.owner}-db-data`;
    await env.docker.createVolume({ Name: name, Labels: testLabels(env.owner) });
    const spec = instance({ service: 'db', index: 9, volumes: [{ kind: 'named', name: 'data', mountPath: '/data', readOnly: false }] });
    await assert.rejects(runtime.create(spec), (err: unknown) => err instanceof VolumeConflictError && err.volume === name);
    assert.equal((await runtime.list()).some((c) => c.service === 'db'), false);
  });

  it('reports an unreachable engine as DockerUnavailableError', async () => {
    const nowhere = new DockerRuntime({ docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }), owner: env.owner, mode: 'host' });
    for (const call of [() => nowhere.ping(), () => nowhere.list()]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof DockerUnavailableError, `got ${String(err)}`);
        assert.ok(isDockerUnavailable(new Error('wrapped', { cause: err })));
        assert.match(err.message, /unix:\/\/\/nonexistent\/docker\.sock: is it running\?/);
        return true;
      });
    }
  });

  it('reports a killed instance as a die event within 2 s', { timeout: 15_000 }, async () => {
    const seen: RuntimeEvent[] = [];
    const stop = runtime.events((e) => seen.push(e));
    after(stop);
    await eventually('events connected', 5000, async () => seen.find((e) => e.type === 'connected'));
    const victim = await runtime.create(instance({ index: 3 }));
    await env.docker.getContainer(victim.id).kill();
    const die = await eventually('die event', 2000, async () =>
      seen.find((e) => e.type === 'container' && e.action === 'die' && e.containerId === victim.id),
    );
    assert.deepEqual(die, { type: 'container', action: 'die', containerId: victim.id, service: 'web', version: 'v1' });
    stop();
  });

  it('in network mode, addresses instances by name on the shared network', { timeout: 20_000 }, async () => {
    const network = `dsr-${env.owner}`;
    const networked = env.runtime({ mode: 'network', network });
    const a = await networked.create(instance({ service: 'api', index: 1 }));
    const b = await networked.create(instance({ service: 'api', index: 2 }));
    assert.deepEqual([a.address, b.address], [
      { host: `dsr-${env.owner}-api-v1-1`, port: 80 },
      { host: `dsr-${env.owner}-api-v1-2`, port: 80 },
    ]);
    const info = await env.docker.getNetwork(network).inspect();
    assert.equal(info.Labels?.[LABELS.owner], env.owner);
    const attached = Object.keys(info.Containers ?? {});
    assert.ok(attached.includes(a.id) && attached.includes(b.id), 'both instances joined the network');
    const published = (await env.docker.getContainer(a.id).inspect()).NetworkSettings.Ports ?? {};
    assert.ok(Object.values(published).every((bindings) => !bindings?.length), 'nothing published on the host');
  });
});
