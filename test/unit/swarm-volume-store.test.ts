// `dsr volumes` on Swarm names a volume's users by the DSR instance each task container stands for,
// once per instance, and refuses a removal while any task of it (running, kept as history, or
// still being removed) mounts the volume. The engine is scripted here; the runtime contract runs
// the same cases on a real one-node swarm (test/integration/runtime-contract-swarm.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Dockerode from 'dockerode';
import { VolumeInUseError } from '../../src/runtime/errors.js';
import { swarmVolumeStore, swarmVolumeUser } from '../../src/swarm/volume-store.js';

/** A `GET /containers/json` entry with a name and labels. */
function container(name: string, labels: Record<string, string> = {}): Dockerode.ContainerInfo {
  return { Id: `id-${name}`, Names: [`/${name}`], Labels: labels } as unknown as Dockerode.ContainerInfo;
}

const task = (service: string, slot: number, taskId: string): Dockerode.ContainerInfo =>
  container(`${service}.${slot}.${taskId}`, { 'com.docker.swarm.service.name': service, 'com.docker.swarm.task.name': `${service}.${slot}.${taskId}` });

describe('swarmVolumeUser', () => {
  const cases: Array<{ name: string; container: Dockerode.ContainerInfo; want: string }> = [
    { name: "a task container is the instance it stands for (its service's slot)", container: task('dsr-shop-db-v1', 2, 'k3x9'), want: 'dsr-shop-db-v1.2' },
    { name: 'a plain container is its container name', container: container('backup-job'), want: 'backup-job' },
    { name: 'an empty task label counts as none', container: container('odd', { 'com.docker.swarm.task.name': '' }), want: 'odd' },
    { name: 'a task label without slot and id counts as none', container: container('odd', { 'com.docker.swarm.task.name': 'nonsense' }), want: 'odd' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(swarmVolumeUser(c.container), c.want));
});

describe('swarmVolumeStore', () => {
  /** An engine with one DSR volume of service db mounted by `users`; records removals. */
  function engine(users: Dockerode.ContainerInfo[]): { docker: Dockerode; removed: string[] } {
    const removed: string[] = [];
    const labels = { 'dsr.managed-by': 'dsr', 'dsr.owner': 'shop', 'dsr.service': 'db', 'dsr.volume': 'data' };
    const docker = {
      listVolumes: async () => ({ Volumes: [{ Name: 'dsr-shop-db-data', Labels: labels, CreatedAt: '2026-12-02T06:00:00Z' }] }),
      listContainers: async () => users,
      getVolume: (name: string) => ({ remove: async () => void removed.push(name) }),
    } as unknown as Dockerode;
    return { docker, removed };
  }
  const calls = { call: <T>(_op: string, fn: () => Promise<T>) => fn(), callAllowing: <T>(_op: string, _ok: number[], fn: () => Promise<T>) => fn() };

  it('lists each instance once, however many of its tasks mount the volume', async () => {
    // A running task, the crashed one Swarm keeps as history, and a person's container.
    const { docker } = engine([task('dsr-shop-db-v1', 1, 'new'), task('dsr-shop-db-v1', 1, 'old'), container('backup-job')]);
    assert.deepEqual(await swarmVolumeStore(docker, 'shop', calls).volumes(), [
      { service: 'db', name: 'data', dockerName: 'dsr-shop-db-data', createdAt: '2026-12-02T06:00:00Z', usedBy: ['backup-job', 'dsr-shop-db-v1.1'] },
    ]);
  });

  it('refuses to remove a volume a task still mounts, naming the instance', async () => {
    const { docker, removed } = engine([task('dsr-shop-db-v1', 1, 'going')]);
    await assert.rejects(swarmVolumeStore(docker, 'shop', calls).removeVolume('db', 'data'), (err: unknown) => err instanceof VolumeInUseError && err.usedBy.join() === 'dsr-shop-db-v1.1');
    assert.deepEqual(removed, []);
  });

  it('removes it once no container mounts it', async () => {
    const { docker, removed } = engine([]);
    await swarmVolumeStore(docker, 'shop', calls).removeVolume('db', 'data');
    assert.deepEqual(removed, ['dsr-shop-db-data']);
  });
});
