// What SwarmRuntime observes of a service and its tasks, and what it writes: pure, tables of cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { slotName, slotView, taskState, toObserved } from '../../src/swarm/tasks.js';
import type { SwarmService, SwarmTask } from '../../src/swarm/tasks.js';
import { toSwarmEvent } from '../../src/swarm/events.js';
import { versionServiceSpec, withReplicas } from '../../src/swarm/service-spec.js';
import { versionLabels } from '../../src/docker/labels.js';
import { versionServiceName } from '../../src/runtime/names.js';
import { instanceSpec } from '../contract/runtime.contract.js';

const SPEC = instanceSpec('web:v1', { service: 'web', version: 'v2', index: 1 });

function service(replicas: number): SwarmService {
  return {
    ID: 'svc1',
    CreatedAt: '2026-01-01T00:00:00.123456789Z',
    Version: { Index: 7 },
    Spec: { Name: 'dsr-web-v2', Labels: versionLabels('default', { ...SPEC, port: SPEC.template.port }), Mode: { Replicated: { Replicas: replicas } }, TaskTemplate: { ContainerSpec: { Image: 'web:v1@sha256:0123abcd' } } },
  };
}

function task(id: string, at: string, state: string, extra: Partial<SwarmTask> = {}): SwarmTask {
  return {
    ID: id,
    ServiceID: 'svc1',
    Slot: 1,
    CreatedAt: `2026-01-01T00:00:${at}Z`,
    DesiredState: 'running',
    Status: { State: state, Timestamp: `2026-01-01T00:00:${at}.5Z`, ContainerStatus: { ExitCode: state === 'running' ? 0 : 1 } },
    NetworksAttachments: [{ Network: { Spec: { Name: 'ingress' } }, Addresses: ['10.0.0.9/24'] }, { Network: { Spec: { Name: 'dsr' } }, Addresses: ['10.0.1.5/24'] }],
    ...extra,
  };
}

describe('taskState', () => {
  const cases: Array<[string, string]> = [
    ['new', 'created'], ['pending', 'created'], ['assigned', 'created'], ['preparing', 'created'], ['ready', 'created'], ['starting', 'created'],
    ['running', 'running'],
    ['complete', 'exited'], ['failed', 'exited'], ['shutdown', 'exited'],
    ['rejected', 'dead'], ['orphaned', 'dead'], ['some-future-state', 'dead'],
    ['remove', 'removing'],
  ];
  for (const [state, want] of cases) it(`${state} is ${want}`, () => assert.equal(taskState(state), want));
});

describe('slotView', () => {
  const ended = (id: string, at: string, state: string): SwarmTask => task(id, at, state, { DesiredState: 'shutdown' });
  const cases: Array<[string, SwarmTask[], [string, string, number | null] | null]> = [
    ['no tasks: none', [], null],
    ['the running task', [task('a', '01', 'running')], ['a', 'running', null]],
    ['a task still preparing: created', [task('a', '01', 'preparing')], ['a', 'created', null]],
    ["Swarm's restart of a crash, waiting for the restart delay: the crash, exited with its code",
      [ended('a', '01', 'failed'), task('b', '02', 'ready')], ['a', 'exited', 1]],
    ['the restart once it runs: the new task',
      [ended('a', '01', 'failed'), task('b', '02', 'running')], ['b', 'running', null]],
    ['a new task long after an old crash of the slot (history): created, not the crash',
      [ended('a', '01', 'failed'), task('b', '40', 'preparing')], ['b', 'created', null]],
    ['a new task after a scale-down took the slot: created, not the removed task',
      [ended('a', '01', 'failed'), task('b', '02', 'shutdown', { DesiredState: 'remove' }), task('c', '03', 'preparing')], ['c', 'created', null]],
    ['a task that completed and is not restarted: exited with its code',
      [task('a', '01', 'complete', { DesiredState: 'shutdown', Status: { State: 'complete', ContainerStatus: { ExitCode: 0 } } })], ['a', 'exited', 0]],
    ['a task rejected on its node: dead', [task('a', '01', 'rejected')], ['a', 'dead', 1]],
    ['taken by a scale-down: removing', [task('a', '01', 'running', { DesiredState: 'remove' })], ['a', 'removing', null]],
  ];
  for (const [name, tasks, want] of cases) {
    it(name, () => {
      const view = slotView(tasks);
      assert.deepEqual(view && [view.task.ID, view.state, view.exitCode], want);
    });
  }
});

describe('toObserved', () => {
  it('reports each slot under the id of its task, at its IP on the overlay, indexed and named by its slot', () => {
    const second = task('b', '02', 'running', { Slot: 2, NetworksAttachments: [{ Network: { Spec: { Name: 'dsr' } }, Addresses: ['10.0.1.6/24'] }] });
    assert.deepEqual(toObserved(service(2), [second, task('a', '01', 'running')], 'dsr'), [
      { id: 'a', name: 'dsr-web-v2.1', service: 'web', version: 'v2', index: 1, specHash: SPEC.specHash,
        state: 'running', createdAt: '2026-01-01T00:00:01.000Z', exitCode: null, address: { host: '10.0.1.5', port: 80 }, image: 'web:v1' },
      { id: 'b', name: 'dsr-web-v2.2', service: 'web', version: 'v2', index: 2, specHash: SPEC.specHash,
        state: 'running', createdAt: '2026-01-01T00:00:02.000Z', exitCode: null, address: { host: '10.0.1.6', port: 80 }, image: 'web:v1' },
    ]);
  });

  it('gives a crashed slot no address, and lists no slot for a service without tasks', () => {
    assert.deepEqual(toObserved(service(1), [task('a', '01', 'failed')], 'dsr').map((c) => [c.state, c.exitCode, c.address]), [['exited', 1, null]]);
    assert.deepEqual(toObserved(service(0), [], 'dsr'), []);
  });

  it('ignores tasks of other services and tasks without a slot', () => {
    assert.deepEqual(toObserved(service(1), [task('x', '01', 'running', { ServiceID: 'other' }), task('y', '01', 'running', { Slot: undefined })], 'dsr'), []);
  });

  it('observes a worker (no port) as running without an address', () => {
    const worker = service(1);
    worker.Spec.Labels = { ...worker.Spec.Labels, 'dsr.port': '' };
    const [observed] = toObserved(worker, [task('a', '01', 'running')], 'dsr');
    assert.deepEqual([observed?.state, observed?.address], ['running', null]);
  });

  it('ignores a service without DSR labels', () => {
    assert.deepEqual(toObserved({ ...service(1), Spec: { Name: 'other' } }, [task('a', '01', 'running')], 'dsr'), []);
  });

  it('names a slot as Swarm names its containers', () => assert.equal(slotName('dsr-web-v2', 3), 'dsr-web-v2.3'));
});

describe('versionServiceName', () => {
  const cases: Array<[string, string, string | null, string]> = [
    ['the default owner is left out, as in container names', 'default', null, 'dsr-web-v2'],
    ['another owner is in the name', 't1', null, 'dsr-t1-web-v2'],
    ["a second spec of the version adds its hash's first 8 characters", 't1', '0a1b2c3d4e5f', 'dsr-t1-web-v2-0a1b2c3d'],
  ];
  for (const [name, owner, hash, want] of cases) it(name, () => assert.equal(versionServiceName(owner, 'web', 'v2', hash), want));
});

describe('toSwarmEvent', () => {
  const raw = (attrs: Record<string, string>): unknown => ({ Type: 'container', Action: 'die', Actor: { ID: 'c0ffee', Attributes: { 'dsr.service': 'web', 'dsr.version': 'v2', ...attrs } } });
  it("reports a task container's event under its task's id (the instance's)", () => {
    assert.deepEqual(toSwarmEvent(raw({ 'com.docker.swarm.task.id': 'task1', 'com.docker.swarm.service.id': 'svc1' })), { type: 'container', action: 'die', containerId: 'task1', service: 'web', version: 'v2' });
  });
  it('ignores a container that is no task', () => assert.equal(toSwarmEvent(raw({})), null));
});

describe('versionServiceSpec', () => {
  it('the replicas asked for, on the overlay under the version service name, labelled on the service and its containers (no instance label), without a virtual IP', () => {
    const spec = versionServiceSpec('t1', { ...SPEC, template: { ...SPEC.template, env: { B: '2', A: '1' }, command: ['serve', '--port', '80'] } }, { name: 'dsr-t1-web-v2', network: 'dsr', replicas: 3 });
    const container = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate.ContainerSpec : undefined;
    assert.equal(spec.Name, 'dsr-t1-web-v2');
    assert.deepEqual(spec.Mode, { Replicated: { Replicas: 3 } });
    assert.deepEqual(spec.EndpointSpec, { Mode: 'dnsrr' });
    assert.deepEqual(spec.TaskTemplate?.Networks, [{ Target: 'dsr', Aliases: ['dsr-t1-web-v2'] }]);
    assert.equal(spec.Labels?.['dsr.instance'], undefined);
    assert.deepEqual([container?.Env, container?.Args, container?.Command], [['A=1', 'B=2'], ['serve', '--port', '80'], undefined]);
    assert.equal(spec.Labels?.['dsr.owner'], 't1');
    assert.deepEqual(container?.Labels, spec.Labels);
    assert.equal(spec.TaskTemplate?.RestartPolicy?.Condition, 'on-failure');
  });
  it('gives the instance DSR_GATEWAY_URL without changing its labels (not part of the spec hash)', () => {
    const spec = versionServiceSpec('t1', { ...SPEC, template: { ...SPEC.template, env: { DSR_GATEWAY_URL: 'mine', A: '1' } } }, { name: 'dsr-t1-web-v2', network: 'dsr', gatewayUrl: 'http://dsr:7701/gateway', replicas: 1 });
    const container = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate.ContainerSpec : undefined;
    assert.deepEqual(container?.Env, ['A=1', 'DSR_GATEWAY_URL=http://dsr:7701/gateway']);
    assert.equal(spec.Labels?.['dsr.spec-hash'], SPEC.specHash);
  });
  it("mounts the template's volumes, limits its resources, keeps its labels, and pins a stateful service to the volumes' node", () => {
    const template = {
      ...SPEC.template,
      volumes: [
        { kind: 'named' as const, name: 'data', mountPath: '/data', readOnly: false },
        { kind: 'host' as const, hostPath: '/srv/conf', mountPath: '/conf', readOnly: true },
      ],
      resources: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000, pids: 100 },
      labels: { team: 'web' },
    };
    const spec = versionServiceSpec('t1', { ...SPEC, template }, { name: 'dsr-t1-web-v2', network: 'dsr', volumeNode: 'node1', replicas: 1 });
    const task = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate : undefined;
    assert.deepEqual(task?.ContainerSpec?.Mounts?.map((m: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }) => [m.Type, m.Source, m.Target, m.ReadOnly]), [
      ['volume', 'dsr-t1-web-data', '/data', false],
      ['bind', '/srv/conf', '/conf', true],
    ]);
    assert.equal(task?.ContainerSpec?.Mounts?.[0]?.VolumeOptions?.Labels['dsr.owner'], 't1');
    assert.deepEqual(task?.Resources, { Limits: { MemoryBytes: 64 * 1024 * 1024, NanoCPUs: 500_000_000, Pids: 100 } });
    assert.deepEqual(task?.Placement, { Constraints: ['node.id==node1'] });
    assert.deepEqual([spec.Labels?.['team'], spec.Labels?.['dsr.owner']], ['web', 't1']);
    assert.throws(() => versionServiceSpec('t1', { ...SPEC, template }, { name: 'dsr-t1-web-v2', network: 'dsr', replicas: 1 }), /needs the node its volumes live on/);
  });
  it('a service without volumes or limits gets neither, and no placement', () => {
    const task = versionServiceSpec('t1', SPEC, { name: 'dsr-t1-web-v2', network: 'dsr', replicas: 1 }).TaskTemplate;
    assert.ok(task && 'ContainerSpec' in task);
    assert.deepEqual([task.ContainerSpec?.Mounts, task.Resources, task.Placement], [undefined, undefined, undefined]);
  });
  it('withReplicas changes the replica count only', () => {
    const spec = versionServiceSpec('t1', SPEC, { name: 'dsr-t1-web-v2', network: 'dsr', replicas: 1 });
    assert.deepEqual(withReplicas(spec, 0), { ...spec, Mode: { Replicated: { Replicas: 0 } } });
  });
});
