// Start order: a service's creations wait until each service it depends on has a healthy
// instance; removals never wait.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyGate, healthyCounts, holdForDependencies, type DependencyGate } from '../../src/plan/depends-on.js';
import type { Action } from '../../src/plan/actions.js';
import type { InstanceHealth } from '../../src/health/thresholds.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';
import { instanceSpec } from '../contract/runtime.contract.js';

function container(id: string, service: string, state: ObservedContainer['state'] = 'running'): ObservedContainer {
  return {
    id, name: `dsr-${service}-v1-${id}`, service, version: 'v1', index: 1, specHash: 'h', state,
    createdAt: '2026-01-01T00:00:00Z', exitCode: state === 'running' ? null : 1, address: null, image: 'img:v1',
  };
}

const create: Action = {
  type: 'create', service: 'api', version: 'v1', replacement: false, reason: 'wants 1 replica(s), 0 running',
  instance: instanceSpec('img:v1', { service: 'api' }),
};
const remove: Action = { type: 'remove', service: 'api', version: 'v0', containerId: 'x', name: 'dsr-api-v0-1', failure: false, newIncident: false, gracePeriodMs: 1000, reason: 'version no longer declared' };

describe('dependencyGate', () => {
  const healthy: Record<string, number> = { db: 0, cache: 2, queue: 1 };
  const cases: Array<{ name: string; dependsOn: string[]; expected: DependencyGate }> = [
    { name: 'no dependencies: open', dependsOn: [], expected: { open: true } },
    { name: 'every dependency has a healthy instance: open', dependsOn: ['cache', 'queue'], expected: { open: true } },
    { name: 'a dependency without a healthy instance closes it and is named', dependsOn: ['db', 'cache'], expected: { open: false, waitingFor: ['db'], message: 'waiting for db: no healthy instance' } },
    { name: 'an unknown service counts as having none', dependsOn: ['ghost', 'db'], expected: { open: false, waitingFor: ['ghost', 'db'], message: 'waiting for ghost, db: no healthy instance' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(dependencyGate(c.dependsOn, (s) => healthy[s] ?? 0), c.expected));
});

describe('healthyCounts', () => {
  const cs = [container('a', 'db'), container('b', 'db'), container('c', 'db', 'exited'), container('d', 'cache'), container('e', 'queue')];
  const health = new Map<string, InstanceHealth>([['a', 'healthy'], ['b', 'starting'], ['c', 'healthy'], ['d', 'healthy'], ['e', 'healthy']]);
  const cases: Array<{ name: string; health: ReadonlyMap<string, InstanceHealth> | undefined; leaving?: Set<string>; expected: Record<string, number> }> = [
    { name: 'counts running instances judged healthy', health, expected: { db: 1, cache: 1, queue: 1 } },
    { name: 'an instance being removed does not count', health, leaving: new Set(['d']), expected: { db: 1, queue: 1 } },
    { name: 'without probing (dsr plan), running counts as healthy', health: undefined, expected: { db: 2, cache: 1, queue: 1 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(Object.fromEntries(healthyCounts(cs, c.health, c.leaving)), c.expected));
});

describe('start order, simulated', () => {
  it('creates the dependent only once its dependency has turned healthy', () => {
    // db starts, then is starting for two passes, then healthy; api is planned every pass.
    const dbHealth: InstanceHealth[] = ['starting', 'starting', 'healthy'];
    const created: number[] = [];
    dbHealth.forEach((h, pass) => {
      const counts = healthyCounts([container('db1', 'db')], new Map([['db1', h]]));
      const { actions } = holdForDependencies([create], () => ['db'], counts);
      if (actions.length > 0) created.push(pass);
    });
    assert.deepEqual(created, [2]);
  });
});

describe('holdForDependencies', () => {
  const web: Action = { ...create, service: 'web', instance: { ...(create as { instance: object }).instance, service: 'web' } } as Action;
  const deps: Record<string, string[]> = { api: ['db'], web: ['api'] };
  it('holds only the creations of services whose dependencies have no healthy instance', () => {
    const result = holdForDependencies([remove, create, web], (s) => deps[s] ?? [], new Map([['api', 1]]));
    assert.deepEqual(result.actions, [remove, web]);
    assert.deepEqual(result.held, [{ service: 'api', waitingFor: ['db'], message: 'waiting for db: no healthy instance', held: 1 }]);
  });
  it('holds nothing once every dependency is healthy', () => {
    const result = holdForDependencies([remove, create, web], (s) => deps[s] ?? [], new Map([['api', 1], ['db', 2]]));
    assert.deepEqual(result, { actions: [remove, create, web], held: [] });
  });
});
