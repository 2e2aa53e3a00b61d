// What SwarmRuntime observes of a service and its tasks, and what it writes: pure, tables of cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentTask, taskState, toObserved } from '../../src/swarm/tasks.js';
import type { SwarmService, SwarmTask } from '../../src/swarm/tasks.js';
import { toSwarmEvent } from '../../src/swarm/events.js';
import { instanceServiceSpec, withReplicas } from '../../src/swarm/service-spec.js';
import { instanceLabels } from '../../src/docker/labels.js';
import { instanceSpec } from '../contract/runtime.contract.js';

const SPEC = instanceSpec('web:v1', { service: 'web', version: 'v2', index: 1 });

function service(replicas: number): SwarmService {
  return {
    ID: 'svc1',
    CreatedAt: '2026-01-01T00:00:00.123456789Z',
    Version: { Index: 7 },
    Spec: { Name: 'dsr-web-v2-1', Labels: instanceLabels('default', { ...SPEC, port: SPEC.template.port }), Mode: { Replicated: { Replicas: replicas } }, TaskTemplate: { ContainerSpec: { Image: 'web:v1@sha256:0123abcd' } } },
  };
}

function task(id: string, at: string, state: string, extra: Partial<SwarmTask> = {}): SwarmTask {
  return {
    ID: id,
    ServiceID: 'svc1',
    CreatedAt: `2026-01-01T00:00:${at}Z`,
    DesiredState: 'running',
    Status: { State: state, ContainerStatus: { ExitCode: state === 'running' ? 0 : 1 } },
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

describe('currentTask', () => {
  const cases: Array<[string, SwarmTask[], string | null]> = [
    ['no tasks: none', [], null],
    ['the running one over a newer one still preparing', [task('a', '01', 'running'), task('b', '02', 'preparing')], 'a'],
    ['a crash over its replacement waiting for the restart delay', [task('a', '01', 'failed'), task('b', '02', 'ready')], 'a'],
    ['the newest of several ended ones', [task('a', '01', 'failed'), task('b', '03', 'failed'), task('c', '02', 'failed')], 'b'],
    ['the newest when none has started yet', [task('a', '01', 'pending'), task('b', '02', 'new')], 'b'],
  ];
  for (const [name, tasks, want] of cases) it(name, () => assert.equal(currentTask(tasks)?.ID ?? null, want));
});

describe('toObserved', () => {
  it('reports a running task at its IP on the overlay, under the service id and name', () => {
    assert.deepEqual(toObserved(service(1), [task('a', '01', 'running')], 'dsr'), {
      id: 'svc1', name: 'dsr-web-v2-1', service: 'web', version: 'v2', index: 1, specHash: SPEC.specHash,
      state: 'running', createdAt: '2026-01-01T00:00:00.123Z', exitCode: null, address: { host: '10.0.1.5', port: 80 }, image: 'web:v1',
    });
  });

  const cases: Array<[string, number, SwarmTask[], [string, number | null]]> = [
    ['a crashed task: exited with its code', 1, [task('a', '01', 'failed')], ['exited', 1]],
    ['a task rejected on its node: dead', 1, [task('a', '01', 'rejected')], ['dead', 1]],
    ['a new service without a task yet: created', 1, [], ['created', null]],
    ['stopped, its task still ending: that task, without exit code', 0, [task('a', '01', 'shutdown', { DesiredState: 'remove' })], ['exited', null]],
    ['stopped, its task deleted by Swarm: exited without exit code', 0, [], ['exited', null]],
    ['started again: the scaled-down task is history', 1, [task('a', '01', 'shutdown', { DesiredState: 'remove' }), task('b', '02', 'preparing')], ['created', null]],
  ];
  for (const [name, replicas, tasks, [state, exitCode]] of cases) {
    it(name, () => {
      const observed = toObserved(service(replicas), tasks, 'dsr');
      assert.deepEqual([observed?.state, observed?.exitCode, observed?.address], [state, exitCode, null]);
    });
  }

  it('observes a worker (no port) as running without an address', () => {
    const worker = service(1);
    worker.Spec.Labels = { ...worker.Spec.Labels, 'dsr.port': '' };
    const observed = toObserved(worker, [task('a', '01', 'running')], 'dsr');
    assert.deepEqual([observed?.state, observed?.address], ['running', null]);
  });

  it('ignores a service without DSR labels', () => {
    assert.equal(toObserved({ ...service(1), Spec: { Name: 'other' } }, [], 'dsr'), null);
  });
});

describe('toSwarmEvent', () => {
  const raw = (attrs: Record<string, string>): unknown => ({ Type: 'container', Action: 'die', Actor: { ID: 'c0ffee', Attributes: { 'dsr.service': 'web', 'dsr.version': 'v2', ...attrs } } });
  it("reports a task container's event under its service's id", () => {
    assert.deepEqual(toSwarmEvent(raw({ 'com.docker.swarm.service.id': 'svc1' })), { type: 'container', action: 'die', containerId: 'svc1', service: 'web', version: 'v2' });
  });
  it('ignores a container that is no task', () => assert.equal(toSwarmEvent(raw({})), null));
});

describe('instanceServiceSpec', () => {
  it('one replica on the overlay under the instance name, labelled on the service and its containers, without a virtual IP', () => {
    const spec = instanceServiceSpec('t1', { ...SPEC, template: { ...SPEC.template, env: { B: '2', A: '1' }, command: ['serve', '--port', '80'] } }, 'dsr');
    const container = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate.ContainerSpec : undefined;
    assert.equal(spec.Name, 'dsr-t1-web-v2-1');
    assert.deepEqual(spec.Mode, { Replicated: { Replicas: 1 } });
    assert.deepEqual(spec.EndpointSpec, { Mode: 'dnsrr' });
    assert.deepEqual(spec.TaskTemplate?.Networks, [{ Target: 'dsr', Aliases: ['dsr-t1-web-v2-1'] }]);
    assert.deepEqual([container?.Env, container?.Args, container?.Command], [['A=1', 'B=2'], ['serve', '--port', '80'], undefined]);
    assert.equal(spec.Labels?.['dsr.owner'], 't1');
    assert.deepEqual(container?.Labels, spec.Labels);
    assert.equal(spec.TaskTemplate?.RestartPolicy?.Condition, 'on-failure');
  });
  it('gives the instance DSR_GATEWAY_URL without changing its labels (not part of the spec hash)', () => {
    const spec = instanceServiceSpec('t1', { ...SPEC, template: { ...SPEC.template, env: { DSR_GATEWAY_URL: 'mine', A: '1' } } }, 'dsr', 'http://dsr:7701/gateway');
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
    const spec = instanceServiceSpec('t1', { ...SPEC, template }, 'dsr', null, 'node1');
    const task = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate : undefined;
    assert.deepEqual(task?.ContainerSpec?.Mounts?.map((m) => [m.Type, m.Source, m.Target, m.ReadOnly]), [
      ['volume', 'dsr-t1-web-data', '/data', false],
      ['bind', '/srv/conf', '/conf', true],
    ]);
    assert.equal(task?.ContainerSpec?.Mounts?.[0]?.VolumeOptions?.Labels['dsr.owner'], 't1');
    assert.deepEqual(task?.Resources, { Limits: { MemoryBytes: 64 * 1024 * 1024, NanoCPUs: 500_000_000, Pids: 100 } });
    assert.deepEqual(task?.Placement, { Constraints: ['node.id==node1'] });
    assert.deepEqual([spec.Labels?.['team'], spec.Labels?.['dsr.owner']], ['web', 't1']);
    assert.throws(() => instanceServiceSpec('t1', { ...SPEC, template }, 'dsr'), /needs the node its volumes live on/);
  });
  it('a service without volumes or limits gets neither, and no placement', () => {
    const task = instanceServiceSpec('t1', SPEC, 'dsr').TaskTemplate;
    assert.ok(task && 'ContainerSpec' in task);
    assert.deepEqual([task.ContainerSpec?.Mounts, task.Resources, task.Placement], [undefined, undefined, undefined]);
  });
  it('withReplicas changes the replica count only', () => {
    const spec = instanceServiceSpec('t1', SPEC, 'dsr');
    assert.deepEqual(withReplicas(spec, 0), { ...spec, Mode: { Replicated: { Replicas: 0 } } });
  });
});
