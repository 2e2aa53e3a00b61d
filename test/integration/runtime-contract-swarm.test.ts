// SwarmRuntime keeps the Runtime contract on a single-node swarm this file starts (a second
// dockerd, test/helpers/swarm-engine.ts; never the shared engine). Each case gets two fresh
// owners whose services are removed after it; the engine goes away after the file.
import Dockerode from 'dockerode';
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpec } from 'dockerode';
import { SwarmRuntime } from '../../src/swarm/swarm-runtime.js';
import { isOutOfSequence, updateService } from '../../src/swarm/update.js';
import { LABELS } from '../../src/docker/labels.js';
import { TEST_OWNER_LABEL, testLabels, uniqueOwner } from '../helpers/docker.js';
import { describeSwarm } from '../helpers/swarm-engine.js';
import { instanceSpec, runtimeContract } from '../contract/runtime.contract.js';

const IMAGES = { present: 'dsr-test-web:v1', crashing: 'dsr-test-web:crash', absent: 'dsr-test-missing/nothing:never' };

/** Removes every service of the owner (DSR's or the test's own). */
async function cleanupServices(docker: Dockerode, owner: string): Promise<void> {
  for (const label of [`${LABELS.owner}=${owner}`, `${TEST_OWNER_LABEL}=${owner}`]) {
    const services = await docker.listServices({ filters: { label: [label] } });
    await Promise.all(services.map((s) => docker.getService(s.ID ?? '').remove().catch(() => undefined)));
  }
}

describeSwarm('SwarmRuntime', (swarm) => {
  runtimeContract('SwarmRuntime', async () => {
    const owner = uniqueOwner('sw');
    const other = uniqueOwner('sw');
    return {
      runtime: new SwarmRuntime({ docker: swarm.docker, owner }),
      volumes: (runtime) => runtime as SwarmRuntime,
      owner,
      otherOwner: new SwarmRuntime({ docker: swarm.docker, owner: other }),
      images: IMAGES,
      addForeign: async (name) => {
        // Labelled for cleanup only: no dsr.* labels, so no DSR owns it.
        await swarm.docker.createService({ Name: name, Labels: testLabels(owner), TaskTemplate: { ContainerSpec: { Image: IMAGES.present } }, Mode: { Replicated: { Replicas: 0 } } });
      },
      unreachable: () => new SwarmRuntime({ docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }), owner }),
      cleanup: async () => {
        await cleanupServices(swarm.docker, owner);
        await cleanupServices(swarm.docker, other);
      },
      capabilities: { slots: true },
    };
  });

  const owner = uniqueOwner('sw');
  after(() => cleanupServices(swarm.docker, owner));

  it('addresses a running instance at its task IP on the overlay network', async () => {
    const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
    const created = await runtime.create(instanceSpec(IMAGES.present, { service: 'addr' }));
    const network = await swarm.docker.getNetwork('dsr').inspect() as { Driver: string; Attachable: boolean; IPAM: { Config: Array<{ Subnet: string }> } };
    assert.deepEqual([network.Driver, network.Attachable], ['overlay', true]);
    const subnet = network.IPAM.Config[0]?.Subnet ?? '';
    assert.ok(created.address && created.address.host.startsWith(subnet.split('.').slice(0, 3).join('.')), `${JSON.stringify(created.address)} is in ${subnet}`);
    assert.equal(created.address?.port, 80);
  });

  it('runs a service with a named volume on the manager, with its memory limit', async () => {
    const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
    const created = await runtime.create(instanceSpec(IMAGES.present, {
      service: 'state',
      volumes: [{ kind: 'named', name: 'data', mountPath: '/data', readOnly: false }],
      resources: { memoryBytes: 64 * 1024 * 1024, nanoCpus: null, pids: null },
    }));
    assert.equal(created.state, 'running');
    const [container] = await swarm.docker.listContainers({ filters: { label: [`com.docker.swarm.task.id=${created.id}`], status: ['running'] } });
    const info = await swarm.docker.getContainer(container?.Id ?? '').inspect();
    assert.deepEqual(info.Mounts.map((m) => [m.Type, m.Name, m.Destination]), [['volume', `dsr-${owner}-state-data`, '/data']]);
    assert.equal(info.HostConfig.Memory, 64 * 1024 * 1024);
    const volume = await swarm.docker.getVolume(`dsr-${owner}-state-data`).inspect();
    assert.equal(volume.Labels?.['dsr.owner'], owner);
    await runtime.remove(created.id);
  });

  it('restarts a crashed task itself in its slot: a new instance (new task id) with the same index', async () => {
    const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
    const created = await runtime.create(instanceSpec(IMAGES.present, { service: 'restart' }));
    const before = await swarm.docker.listContainers({ filters: { label: [`com.docker.swarm.task.id=${created.id}`], status: ['running'] } });
    assert.equal(before.length, 1);
    await swarm.docker.getContainer(before[0]?.Id ?? '').kill();
    let sawCrash = false;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [listed] = (await runtime.list()).filter((c) => c.service === 'restart');
      // During the restart delay the crashed task stands for the slot, so DSR may replace it first.
      if (listed?.id === created.id && listed.state === 'exited') sawCrash = true;
      if (listed && listed.id !== created.id && listed.state === 'running') {
        assert.equal(listed.index, created.index);
        break;
      }
      assert.ok(Date.now() < deadline, 'Swarm did not start a new task within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(sawCrash, 'the crash was observed as exited before the restart');
  });

  it('one service per version: instances are its task slots, and remove takes the chosen one', { timeout: 120_000 }, async () => {
    const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
    const spec = (index: number) => instanceSpec(IMAGES.present, { service: 'slots', index });
    const created = [];
    for (const index of [1, 2, 3]) created.push(await runtime.create(spec(index)));
    assert.deepEqual(created.map((c) => [c.index, c.state]), [[1, 'running'], [2, 'running'], [3, 'running']]);
    const services = await swarm.docker.listServices({ filters: { label: [`dsr.owner=${owner}`, 'dsr.service=slots'] } });
    assert.deepEqual(services.map((s) => [s.Spec?.Name, s.Spec?.Mode?.Replicated?.Replicas]), [[`dsr-${owner}-slots-v1`, 3]]);
    // Not the highest slot, which Swarm would take by itself: DSR stops the chosen task first.
    const middle = created[1]!;
    await runtime.stop(middle.id, 1);
    await runtime.remove(middle.id);
    const left = async (): Promise<number[]> => (await runtime.list()).filter((c) => c.service === 'slots' && c.state !== 'removing').map((c) => c.index);
    assert.deepEqual(await left(), [1, 3]);
    // The next instance takes the free slot.
    const again = await runtime.create(spec(2));
    assert.deepEqual([again.index, again.state], [2, 'running']);
    assert.deepEqual(await left(), [1, 2, 3]);
    // The last instance takes the service with it.
    for (const c of await runtime.list()) if (c.service === 'slots') await runtime.remove(c.id);
    assert.deepEqual(await swarm.docker.listServices({ filters: { label: [`dsr.owner=${owner}`, 'dsr.service=slots'] } }), []);
  });

  it('retries an update refused for a stale version, and gives up after the bounded attempts', async () => {
    const runtime = new SwarmRuntime({ docker: swarm.docker, owner });
    const created = await runtime.create(instanceSpec(IMAGES.present, { service: 'occ' }));
    const { ServiceID } = (await swarm.docker.getTask(created.id).inspect()) as { ServiceID: string };
    const service = swarm.docker.getService(ServiceID);
    const read = async (): Promise<{ version: number; spec: ServiceSpec }> => {
      const info = (await service.inspect()) as { Version: { Index: number }; Spec: ServiceSpec };
      return { version: info.Version.Index, spec: info.Spec };
    };
    const write = async (version: number, spec: ServiceSpec): Promise<void> => {
      await service.update({ _query: { version }, _body: spec });
    };
    const label = (spec: ServiceSpec, value: string): ServiceSpec => ({ ...spec, Labels: { ...spec.Labels, 'dsr.test-note': value } });
    // The first read is stale: someone else updates the service between our read and our write.
    let reads = 0;
    const racing = {
      read: async () => {
        const snapshot = await read();
        if (reads++ === 0) await write(snapshot.version, label(snapshot.spec, 'someone else'));
        return snapshot;
      },
      write,
    };
    assert.equal(await updateService(racing, (spec) => label(spec, 'ours')), true);
    assert.equal(reads, 2, 'the refused write was retried from a fresh read');
    assert.equal(((await service.inspect()) as { Spec: ServiceSpec }).Spec.Labels?.['dsr.test-note'], 'ours');
    // Always stale: the engine's refusal is recognised, and after the bounded attempts it is thrown.
    const alwaysStale = { read: async () => ({ ...(await read()), version: 1 }), write };
    await assert.rejects(updateService(alwaysStale, (spec) => label(spec, 'never'), 3), (err: unknown) => {
      assert.ok(isOutOfSequence(err), `got ${String(err)}`);
      return true;
    });
  });
});
